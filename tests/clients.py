"""What the tests that run real client programs (khard) share."""

KHARD_CONFIG = """[addressbooks]
[[book]]
path = {path}
[general]
debug = no
default_action = list
editor = /bin/true
merge_editor = /bin/true
[contact table]
display = formatted_name
group_by_addressbook = no
reverse = no
show_nicknames = no
show_uids = yes
sort = last_name
localize_dates = no
preferred_phone_number_type = pref, cell, home
preferred_email_address_type = pref, work, home
[vcard]
private_objects = Jabber,
preferred_version = 3.0
search_in_source_files = no
skip_unparsable = no
"""
"""khard's configuration for a vdir at {path}: formatted names, no editor, no prompts."""
