"""ASB Case Review (the Community Trigger): public applications, casework, annual figures."""
