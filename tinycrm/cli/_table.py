"""The dispatch table of the command line, generated from the Typer app: do not edit.

Regenerate with `python -m tinycrm.cli.gen_table`; `tinycrm.cli.dispatch` reads it.
"""

# ruff: noqa: E501

HELP = ('-h', '--help')

ROOT_OPTIONS = (
    {'name': 'db', 'opts': ('--db',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
    {'name': 'user', 'opts': ('--user',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
    {'name': 'version', 'opts': ('--version',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': True},
)

GROUPS = {
    (): ('backup', 'check', 'contact', 'cron', 'deal', 'demo', 'due', 'dupes', 'export', 'history', 'import', 'log', 'merge', 'pool', 'redo', 'remind', 'report', 'restore', 'search', 'share', 'target', 'tier', 'timeline', 'tui', 'undo'),
    ('contact',): ('add', 'claim', 'edit', 'forget', 'list', 'reassign', 'release', 'restore', 'rm', 'show'),
    ('deal',): ('add', 'edit', 'list', 'lost', 'move', 'show', 'won'),
    ('export',): ('csv', 'ics', 'json', 'vcard'),
    ('pool',): ('apply', 'list', 'rule'),
    ('remind',): ('add', 'done', 'list', 'rm', 'snooze'),
    ('report',): ('activity', 'forecast', 'funnel', 'lifecycle', 'pipeline', 'rfm', 'targets'),
    ('target',): ('set',),
    ('tier',): ('apply', 'list', 'rm', 'set'),
}

COMMANDS = {
    ('backup',): {
        'implementation': 'tinycrm.commands.safety:backup',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'target', 'nargs': 1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'keep', 'opts': ('--keep',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('check',): {
        'implementation': 'tinycrm.commands.safety:check',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'add'): {
        'implementation': 'tinycrm.commands.contact:add',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'name', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'org', 'opts': ('--org',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'kind', 'opts': ('--kind',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'email', 'opts': ('--email',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'phone', 'opts': ('--phone',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'tag', 'opts': ('--tag',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'title', 'opts': ('--title',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'birthday', 'opts': ('--birthday',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'lunar', 'opts': ('--lunar',), 'secondary': ('--solar',), 'flag': True, 'multiple': False, 'type': 'bool', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'anniversary', 'opts': ('--anniversary',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'note', 'opts': ('--note',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'every', 'opts': ('--every',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'owner', 'opts': ('--owner',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'tier', 'opts': ('--tier',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'set_', 'opts': ('--set',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'allow_duplicate', 'opts': ('--allow-duplicate',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'claim'): {
        'implementation': 'tinycrm.commands.contact:claim',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'edit'): {
        'implementation': 'tinycrm.commands.contact:edit',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'name', 'opts': ('--name',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'org', 'opts': ('--org',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'kind', 'opts': ('--kind',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'email', 'opts': ('--email',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'phone', 'opts': ('--phone',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'tag', 'opts': ('--tag',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'add_tag', 'opts': ('--add-tag',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'rm_tag', 'opts': ('--rm-tag',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'rm_email', 'opts': ('--rm-email',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'title', 'opts': ('--title',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'birthday', 'opts': ('--birthday',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'lunar', 'opts': ('--lunar',), 'secondary': ('--solar',), 'flag': True, 'multiple': False, 'type': 'bool', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'anniversary', 'opts': ('--anniversary',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'note', 'opts': ('--note',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'every', 'opts': ('--every',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'owner', 'opts': ('--owner',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'tier', 'opts': ('--tier',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'set_', 'opts': ('--set',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'unset', 'opts': ('--unset',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'allow_duplicate', 'opts': ('--allow-duplicate',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'forget'): {
        'implementation': 'tinycrm.commands.contact:forget',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'yes', 'opts': ('--yes',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'list'): {
        'implementation': 'tinycrm.commands.contact:list_',
        'ignore_unknown_options': True,
        'interspersed': True,
        'arguments': (
            {'name': 'filter_', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'sort', 'opts': ('--sort',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': 'name', 'min': None, 'max': None, 'eager': False},
            {'name': 'limit', 'opts': ('--limit',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'reassign'): {
        'implementation': 'tinycrm.commands.contact:reassign',
        'ignore_unknown_options': True,
        'interspersed': True,
        'arguments': (
            {'name': 'filter_', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'from_', 'opts': ('--from',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'to', 'opts': ('--to',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'release'): {
        'implementation': 'tinycrm.commands.contact:release',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'restore'): {
        'implementation': 'tinycrm.commands.contact:restore',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'rm'): {
        'implementation': 'tinycrm.commands.contact:rm',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('contact', 'show'): {
        'implementation': 'tinycrm.commands.contact:show',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('cron',): {
        'implementation': 'tinycrm.commands.remind:cron',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'at', 'opts': ('--at',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': '08:00', 'min': None, 'max': None, 'eager': False},
            {'name': 'to', 'opts': ('--to',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('deal', 'add'): {
        'implementation': 'tinycrm.commands.deal:add',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'title', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'value', 'opts': ('--value',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'currency', 'opts': ('--currency',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'stage', 'opts': ('--stage',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': 'lead', 'min': None, 'max': None, 'eager': False},
            {'name': 'probability', 'opts': ('--probability',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'close', 'opts': ('--close',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'key', 'opts': ('--key',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'owner', 'opts': ('--owner',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('deal', 'edit'): {
        'implementation': 'tinycrm.commands.deal:edit',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'deal_id', 'nargs': 1, 'required': True, 'type': 'int', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'title', 'opts': ('--title',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'value', 'opts': ('--value',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'currency', 'opts': ('--currency',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'probability', 'opts': ('--probability',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'close', 'opts': ('--close',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'key', 'opts': ('--key',), 'secondary': ('--no-key',), 'flag': True, 'multiple': False, 'type': 'bool', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'owner', 'opts': ('--owner',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('deal', 'list'): {
        'implementation': 'tinycrm.commands.deal:list_',
        'ignore_unknown_options': True,
        'interspersed': True,
        'arguments': (
            {'name': 'filter_', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'limit', 'opts': ('--limit',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('deal', 'lost'): {
        'implementation': 'tinycrm.commands.deal:lost',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'deal_id', 'nargs': 1, 'required': True, 'type': 'int', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'reason', 'opts': ('--reason',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('deal', 'move'): {
        'implementation': 'tinycrm.commands.deal:move',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'deal_id', 'nargs': 1, 'required': True, 'type': 'int', 'default': None, 'min': None, 'max': None},
            {'name': 'stage', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('deal', 'show'): {
        'implementation': 'tinycrm.commands.deal:show',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'deal_id', 'nargs': 1, 'required': True, 'type': 'int', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('deal', 'won'): {
        'implementation': 'tinycrm.commands.deal:won',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'deal_id', 'nargs': 1, 'required': True, 'type': 'int', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('demo',): {
        'implementation': 'tinycrm.commands.tui:demo',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'db', 'opts': ('--db',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'no_tui', 'opts': ('--no-tui',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'contacts', 'opts': ('--contacts',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 300, 'min': 10, 'max': 100000, 'eager': False},
            {'name': 'seed', 'opts': ('--seed',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 7, 'min': None, 'max': None, 'eager': False},
            {'name': 'force', 'opts': ('--force',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('due',): {
        'implementation': 'tinycrm.commands.remind:due',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'urls', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'within', 'opts': ('--within',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'notify', 'opts': ('--notify',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'to', 'opts': ('--to',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('dupes',): {
        'implementation': 'tinycrm.commands.dupes:dupes',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'min_score', 'opts': ('--min-score',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 0, 'max': 100, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('export', 'csv'): {
        'implementation': 'tinycrm.commands.transfer:export_csv',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'filter_', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'output', 'opts': ('--output', '-o'), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'bom', 'opts': ('--bom',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('export', 'ics'): {
        'implementation': 'tinycrm.commands.remind:export_ics',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'filter_', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'output', 'opts': ('--output', '-o'), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('export', 'json'): {
        'implementation': 'tinycrm.commands.transfer:export_json',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'filter_', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'output', 'opts': ('--output', '-o'), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('export', 'vcard'): {
        'implementation': 'tinycrm.commands.transfer:export_vcard',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'filter_', 'nargs': -1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'output', 'opts': ('--output', '-o'), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'vdir', 'opts': ('--vdir',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'version', 'opts': ('--version',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': '4.0', 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('history',): {
        'implementation': 'tinycrm.commands.core:history',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'limit', 'opts': ('--limit',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 50, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('import',): {
        'implementation': 'tinycrm.commands.transfer:import_',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'source', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'format_', 'opts': ('--format',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'map_', 'opts': ('--map',), 'secondary': (), 'flag': False, 'multiple': True, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'dry_run', 'opts': ('--dry-run', '-n'), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'on_duplicate', 'opts': ('--on-duplicate',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': 'merge', 'min': None, 'max': None, 'eager': False},
            {'name': 'skip_errors', 'opts': ('--skip-errors',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'rejects', 'opts': ('--rejects',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('log',): {
        'implementation': 'tinycrm.commands.core:log',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'text', 'nargs': 1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'kind', 'opts': ('--kind', '-k'), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': 'note', 'min': None, 'max': None, 'eager': False},
            {'name': 'at', 'opts': ('--at',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'deal', 'opts': ('--deal',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'next_', 'opts': ('--next',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'eml', 'opts': ('--eml',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'create', 'opts': ('--create',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('merge',): {
        'implementation': 'tinycrm.commands.dupes:merge',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'keep', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'others', 'nargs': -1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'yes', 'opts': ('--yes', '-y'), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('pool', 'apply'): {
        'implementation': 'tinycrm.commands.team:apply',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('pool', 'list'): {
        'implementation': 'tinycrm.commands.team:list_',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('pool', 'rule'): {
        'implementation': 'tinycrm.commands.team:rule',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'days', 'opts': ('--days',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 0, 'max': 3650, 'eager': False},
            {'name': 'tier', 'opts': ('--tier',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'warn', 'opts': ('--warn',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 0, 'max': 3650, 'eager': False},
            {'name': 'cooldown', 'opts': ('--cooldown',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 0, 'max': 3650, 'eager': False},
            {'name': 'max_claims', 'opts': ('--max-claims',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 0, 'max': 3650, 'eager': False},
            {'name': 'off', 'opts': ('--off',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('redo',): {
        'implementation': 'tinycrm.commands.core:redo',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('remind', 'add'): {
        'implementation': 'tinycrm.commands.remind:add',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'when', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'text', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'every', 'opts': ('--every',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'from_done', 'opts': ('--from-done',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'deal', 'opts': ('--deal',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('remind', 'done'): {
        'implementation': 'tinycrm.commands.remind:done',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'key_or_id', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
        ),
    },
    ('remind', 'list'): {
        'implementation': 'tinycrm.commands.remind:list_',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'all_', 'opts': ('--all',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'limit', 'opts': ('--limit',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('remind', 'rm'): {
        'implementation': 'tinycrm.commands.remind:rm',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'reminder_id', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
        ),
    },
    ('remind', 'snooze'): {
        'implementation': 'tinycrm.commands.remind:snooze',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'key_or_id', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'when', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
        ),
    },
    ('report', 'activity'): {
        'implementation': 'tinycrm.commands.report:activity',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'since', 'opts': ('--since',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'until', 'opts': ('--until',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'by', 'opts': ('--by',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'period', 'opts': ('--period',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': 'week', 'min': None, 'max': None, 'eager': False},
            {'name': 'periods', 'opts': ('--periods',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 4, 'min': 1, 'max': 520, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'ascii', 'opts': ('--ascii',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('report', 'forecast'): {
        'implementation': 'tinycrm.commands.report:forecast',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'since', 'opts': ('--since',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'until', 'opts': ('--until',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'by', 'opts': ('--by',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'period', 'opts': ('--period',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': 'month', 'min': None, 'max': None, 'eager': False},
            {'name': 'back', 'opts': ('--back',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 6, 'min': 0, 'max': 120, 'eager': False},
            {'name': 'ahead', 'opts': ('--ahead',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 6, 'min': 0, 'max': 120, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'ascii', 'opts': ('--ascii',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('report', 'funnel'): {
        'implementation': 'tinycrm.commands.report:funnel',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'since', 'opts': ('--since',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'until', 'opts': ('--until',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'by', 'opts': ('--by',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'ascii', 'opts': ('--ascii',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('report', 'lifecycle'): {
        'implementation': 'tinycrm.commands.report:lifecycle',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'since', 'opts': ('--since',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'until', 'opts': ('--until',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'by', 'opts': ('--by',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'at_risk_days', 'opts': ('--at-risk-days',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 90, 'min': 1, 'max': 36500, 'eager': False},
            {'name': 'churn_days', 'opts': ('--churn-days',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 180, 'min': 1, 'max': 36500, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'ascii', 'opts': ('--ascii',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('report', 'pipeline'): {
        'implementation': 'tinycrm.commands.report:pipeline',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'since', 'opts': ('--since',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'until', 'opts': ('--until',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'by', 'opts': ('--by',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'ascii', 'opts': ('--ascii',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('report', 'rfm'): {
        'implementation': 'tinycrm.commands.report:rfm',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'since', 'opts': ('--since',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'until', 'opts': ('--until',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'by', 'opts': ('--by',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'top', 'opts': ('--top',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 10, 'min': 1, 'max': 1000, 'eager': False},
            {'name': 'limit', 'opts': ('--limit',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'ascii', 'opts': ('--ascii',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('report', 'targets'): {
        'implementation': 'tinycrm.commands.report:targets',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'period', 'opts': ('--period',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_csv', 'opts': ('--csv',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'ascii', 'opts': ('--ascii',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('restore',): {
        'implementation': 'tinycrm.commands.safety:restore',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'source', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'yes', 'opts': ('--yes', '-y'), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('search',): {
        'implementation': 'tinycrm.commands.core:search',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'text', 'nargs': -1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'limit', 'opts': ('--limit',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 20, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('share',): {
        'implementation': 'tinycrm.commands.team:share',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'group', 'opts': ('--group',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'off', 'opts': ('--off',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('target', 'set'): {
        'implementation': 'tinycrm.commands.team:target',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'user', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'period', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'amount', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'currency', 'opts': ('--currency',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('tier', 'apply'): {
        'implementation': 'tinycrm.commands.tier:apply',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'dry_run', 'opts': ('--dry-run',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('tier', 'list'): {
        'implementation': 'tinycrm.commands.tier:list_',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('tier', 'rm'): {
        'implementation': 'tinycrm.commands.tier:rm',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'name', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('tier', 'set'): {
        'implementation': 'tinycrm.commands.tier:set_',
        'ignore_unknown_options': True,
        'interspersed': True,
        'arguments': (
            {'name': 'name', 'nargs': 1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
            {'name': 'filter_', 'nargs': -1, 'required': True, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'position', 'opts': ('--position',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': None, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('timeline',): {
        'implementation': 'tinycrm.commands.core:timeline',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
            {'name': 'ref', 'nargs': 1, 'required': False, 'type': 'str', 'default': None, 'min': None, 'max': None},
        ),
        'options': (
            {'name': 'since', 'opts': ('--since',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'str', 'default': None, 'min': None, 'max': None, 'eager': False},
            {'name': 'limit', 'opts': ('--limit',), 'secondary': (), 'flag': False, 'multiple': False, 'type': 'int', 'default': 50, 'min': 1, 'max': None, 'eager': False},
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
    ('tui',): {
        'implementation': 'tinycrm.commands.tui:tui',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
        ),
    },
    ('undo',): {
        'implementation': 'tinycrm.commands.core:undo',
        'ignore_unknown_options': False,
        'interspersed': True,
        'arguments': (
        ),
        'options': (
            {'name': 'as_json', 'opts': ('--json',), 'secondary': (), 'flag': True, 'multiple': False, 'type': 'bool', 'default': False, 'min': None, 'max': None, 'eager': False},
        ),
    },
}
