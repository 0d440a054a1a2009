"""The known findings: the model (`model`: loading `known/<id>.toml`, matching
a record, running its snippet), the matchers a finding names, and `known/`."""
