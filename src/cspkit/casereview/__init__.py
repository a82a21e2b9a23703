"""The ASB Case Review (the "Community Trigger"): the rules, without the web application.

``threshold`` decides whether an application meets the threshold for a review (ASB, Crime and
Policing Act 2014 s.104, with the partnership's local variants); ``deadlines`` counts working
days in England and Wales; ``publication`` computes the figures published each year. These
modules import no Django, so the command line and the tests use them directly.
"""
