"""cspkit: Strategic Assessments and Partnership Plans for Community Safety Partnerships."""

__version__ = "0.1.0"
