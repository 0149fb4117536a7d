# Fixture reference of flip.
