"""暖心助手: the Telegram adapter and command-line interface over the domain libraries."""
