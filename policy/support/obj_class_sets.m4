divert(-1)
# Class sets: groups of object classes that share a permission vocabulary.

# Classes that inherit the kobject common (create destroy getattr).
define(`kobject_classes', `{ process ipc notification shm vm }')

# The classes through which two tasks communicate.
define(`channel_classes', `{ ipc notification shm }')

divert(0)dnl
