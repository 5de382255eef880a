"""Run the whole system on this machine: `make run` (Ctrl-C stops it all)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from hoclieu_shared.localrun import SERVICES, LocalSystem

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> int:
    args = _parse()
    system = LocalSystem(
        data_dir=Path(args.data_dir).resolve(),
        postgres_server_url=os.environ.get("DATABASE_URL"),
        kafka_bootstrap=os.environ.get("KAFKA_BOOTSTRAP_SERVERS"),
        topic_prefix=os.environ.get("TOPIC_PREFIX", ""))
    # Ctrl-C and a plain kill both stop everything, even when this was
    # started in the background with SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        print("Starting Học liệu (broker, 4 services, web portal)…", flush=True)
        system.start(timeout=120)
        _describe(system)
        if args.demo:
            from demo_school import load_demo_school

            load_demo_school(system.url)
        print("Press Ctrl-C to stop everything.", flush=True)
        signal.pause()
    except KeyboardInterrupt:
        pass
    except (RuntimeError, TimeoutError) as error:
        print(f"Could not start: {error}", file=sys.stderr)
        return 1
    except (ImportError, FileNotFoundError) as error:
        print(f"Could not start: {error}. Run `make run` so that every "
              "package is installed.", file=sys.stderr)
        return 1
    finally:
        print("\nStopping every process…", flush=True)
        system.stop()
        print("Stopped.", flush=True)
    return 0


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", action="store_true",
                        help="load the sample school THCS Nguyễn Du")
    parser.add_argument("--data-dir", default=str(ROOT / "data"))
    return parser.parse_args()


def _describe(system: LocalSystem) -> None:
    print(f"Web portal:   {system.url}  (sign in with the dev login)")
    for spec in SERVICES:
        port = system.ports[spec.name]
        print(f"{spec.name + '-service:':<22}http://127.0.0.1:{port}/docs")
    print(f"Broker:       {system.kafka_bootstrap}")
    print(f"Data and logs: {system.data_dir}")


if __name__ == "__main__":
    sys.exit(main())
