# Fixture reference of softmax.
