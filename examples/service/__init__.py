"""A small made-up async service that shows every pitfall asyncfix knows.

Each pitfall is marked with a comment naming its rule code (AF001 ... AF004).
"""
