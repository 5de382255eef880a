"""`python -m template_service [serve|migrate|replay-outbox]`."""

from hoclieu_shared.cli import run_service_cli

from .main import SERVICE_ROOT, create_app
from .settings import TemplateSettings

if __name__ == "__main__":
    run_service_cli(TemplateSettings, create_app, SERVICE_ROOT)
