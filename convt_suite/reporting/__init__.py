"""From results files to the report: the page model and its HTML, the JUnit
file, the summary and the version grid across version sets."""
