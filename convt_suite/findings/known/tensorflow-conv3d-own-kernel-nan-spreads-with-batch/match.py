def match(record):
    """A NaN or inf weight tap, and a batch of 2 or more (batch 1 is exact)."""
    case = record["case"]
    return case["input_shape"][0] >= 2 and any(tensor == "weight" for tensor, _, _ in case.get("specials", ()))
