from breachkit.cli.main import run

run()
