"""The known findings: the model (`model`: loading a finding's folder
`known/<id>/`, matching a record, running its snippet), the generic matchers
a finding names, and `known/`."""
