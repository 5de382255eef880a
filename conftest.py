pytest_plugins = ["hoclieu_shared.testing.fixtures"]
