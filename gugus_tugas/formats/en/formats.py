# The same dd/mm/yyyy dates as Indonesian (DESIGN §1); only the number separators are English.
from gugus_tugas.formats.id.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
