"""The rules of the register: business checks, routing a petition to a department, and
assigning codes, departments and deadlines."""
