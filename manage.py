#!/usr/bin/env python
import sys

# Chooses the settings module by the rule every process follows.
import config  # noqa: F401


def main():
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
