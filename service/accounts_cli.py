"""`vanban users | tokens | audit`: accounts kept in the archive, managed by whoever runs the archive's machine.

    vanban users add NAME --role viewer|editor|admin [--db DB]   (prints the new API token, last line)
    vanban users password NAME [--db DB]                          (reads the web password from stdin)
    vanban users list | remove NAME [--db DB]
    vanban tokens create NAME [--label TEXT] | revoke TOKEN [--db DB]
    vanban audit [--limit N] [--action PREFIX] [--json] [--db DB]
"""
from __future__ import annotations

import argparse
import json
import sys
import time

ROLES = ("viewer", "editor", "admin")


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _store(args):
    from service.archive_cli import _open, default_db

    return _open(args.db or default_db(), must_exist=False)


def _run(args, action) -> int:
    from archive.accounts import AccountError
    from parser.errors import ExitCode

    store = _store(args)
    if store is None:
        return ExitCode.input_file
    try:
        action(store)
    except AccountError as exc:
        _say(str(exc))
        return ExitCode.input_file
    finally:
        store.close()
    return ExitCode.ok


def cmd_users_add(args) -> int:
    def go(store):
        token = store.add_user(args.name, args.role, actor=_cli_actor())
        _say(f"Đã tạo người dùng {args.name} ({args.role}); khóa API dưới đây chỉ hiện một lần / user {args.name} "
             f"({args.role}) created; its API token (shown once) follows")
        print(token, flush=True)

    return _run(args, go)


def cmd_users_password(args) -> int:
    if sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Mật khẩu / password: ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")

    def go(store):
        store.set_password(args.name, password, actor=_cli_actor())
        _say(f"Đã đặt mật khẩu cho {args.name} / password set for {args.name}")

    return _run(args, go)


def cmd_users_list(args) -> int:
    def go(store):
        users = store.users()
        if args.json:
            print(json.dumps(users, ensure_ascii=False))
            return
        for u in users:
            print(f"{u['name']}\t{u['role']}\tpassword: {'yes' if u['password'] else 'no'}\ttokens: {u['tokens']}")
        if not users:
            _say("Chưa có người dùng nào: kho mở cho mọi người / no users yet: the archive is open to anyone")

    return _run(args, go)


def cmd_users_remove(args) -> int:
    return _run(args, lambda store: (store.remove_user(args.name, actor=_cli_actor()),
                                     _say(f"Đã xóa người dùng {args.name} / user {args.name} removed")))


def cmd_tokens_create(args) -> int:
    def go(store):
        token = store.create_token(args.name, args.label or "", actor=_cli_actor())
        _say(f"Khóa API mới của {args.name} (chỉ hiện một lần) / a new API token for {args.name} (shown once):")
        print(token, flush=True)

    return _run(args, go)


def cmd_tokens_revoke(args) -> int:
    token = args.token if args.token != "-" else sys.stdin.readline().strip()
    return _run(args, lambda store: _say(f"Đã thu hồi một khóa của {store.revoke_token(token, actor=_cli_actor())} / "
                                         "token revoked"))


def cmd_audit(args) -> int:
    def go(store):
        log = store.audit_log(args.limit, 0, args.action)
        if args.json:
            print(json.dumps(log, ensure_ascii=False))
            return
        for e in log["results"]:
            at = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(e["at"]))
            print(f"{at}\t{e['actor']}\t{e['action']}\t{e['target']}\t{json.dumps(e['detail'], ensure_ascii=False)}")

    return _run(args, go)


def _cli_actor() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name on this machine (a container): still a CLI change
        return "cli"


def add_commands(sub) -> None:
    db_help = "archive: a SQLite file or postgresql://... (default: archive.db in the user's data folder; env VANBAN_DB)"
    u = sub.add_parser("users", help="accounts of the archive: add, password, list, remove")
    us = u.add_subparsers(dest="users_command", required=True)
    a = us.add_parser("add", help="add a user; prints its first API token (last line of stdout)")
    a.add_argument("name")
    a.add_argument("--role", choices=ROLES, required=True)
    a.set_defaults(func=cmd_users_add)
    p = us.add_parser("password", help="set a user's web password, read from stdin")
    p.add_argument("name")
    p.set_defaults(func=cmd_users_password)
    ls = us.add_parser("list", help="the users and their roles")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_users_list)
    r = us.add_parser("remove", help="remove a user, its tokens and sessions")
    r.add_argument("name")
    r.set_defaults(func=cmd_users_remove)
    t = sub.add_parser("tokens", help="API tokens: create one for a user, revoke one")
    ts = t.add_subparsers(dest="tokens_command", required=True)
    c = ts.add_parser("create", help="a new API token for a user (printed once)")
    c.add_argument("name")
    c.add_argument("--label", help="what the token is for (a script, a machine)")
    c.set_defaults(func=cmd_tokens_create)
    v = ts.add_parser("revoke", help="revoke a token (given whole, or - to read it from stdin)")
    v.add_argument("token")
    v.set_defaults(func=cmd_tokens_revoke)
    au = sub.add_parser("audit", help="the audit log: every write, newest first")
    au.add_argument("--limit", type=int, default=50)
    au.add_argument("--action", help="only actions starting with this (document., user.)")
    au.add_argument("--json", action="store_true")
    au.set_defaults(func=cmd_audit)
    for parser in (a, p, ls, r, c, v, au):
        parser.add_argument("--db", help=db_help)
