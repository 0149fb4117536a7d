# Fixture reference of add.
