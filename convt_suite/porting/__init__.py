"""Porting a layer between frameworks: reading a layer's source (sources), the
translator (translate) and the snippets each finding and report row print."""
