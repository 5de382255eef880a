"""Settings of the activation-service, read from the environment."""

from __future__ import annotations

from hoclieu_shared.settings import ServiceSettings

SERVICE_NAME = "activation"


class ActivationSettings(ServiceSettings):
    """What the activation-service reads at start-up."""

    service_name: str = SERVICE_NAME
    http_host: str = "127.0.0.1"
    http_port: int = 8001
    # Empty: the latest school year of the catalogue (see docs/).
    school_year: str = ""
    roster_max_bytes: int = 10 * 1024 * 1024
    roster_max_rows: int = 20_000
    # Argon2id cost of review-account passwords; the default is the OWASP
    # floor (19 MiB, 2 passes), which already far outweighs the entropy of
    # the random initial passwords we generate.
    password_hash_memory_kib: int = 19_456
    password_hash_time_cost: int = 2
    password_hash_workers: int = 2
    # Printed on the credential slips when set: where students log in.
    account_login_url: str = ""
