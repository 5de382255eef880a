"""Settings of the template-service, read from the environment."""

from hoclieu_shared.settings import ServiceSettings


class TemplateSettings(ServiceSettings):
    """What the template-service reads at start-up."""

    service_name: str = "template"
    http_port: int = 8002
