"""The core: domain model, operations and text handling. Never imports Qt."""
