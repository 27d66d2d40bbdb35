"""make calibrate in parts: seeds (CSV I/O), features (what the build knows), fitting (the
model and its points), proposal (candidate rows), evaluation (the judgement), report. The
pipeline that runs them is leadscore.calibrate."""
