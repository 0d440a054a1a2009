"""The side studies the report carries beside the sweeps: how each framework
refuses a bad layer (error_paths), the measured pitfalls, FCN's bilinear
layer, overlap counts and the precision of the low-precision dtypes."""
