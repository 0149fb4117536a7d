# Fixture reference of matmul.
