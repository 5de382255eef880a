"""Rules and models of the activation-service, without I/O."""
