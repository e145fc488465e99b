"""Click in Vietnamese: help screens and usage errors for the doithoai command.

Click writes "Usage:", "Options:", "Commands:", "[default: …]", "[required]", TEXT/FILE
placeholders and English errors. Rather than translating its catalogue (it has no
Vietnamese one, and a gettext hook would change with each Click release), every piece
of a help screen is produced here: the formatter's usage prefix, the section headings,
each option's line (with its own metavar, default and range) and the help option's text.
Usage errors are said in Vietnamese by ``usage_message``.
"""

from __future__ import annotations

import click

HELP_TEXT = "Xem hướng dẫn này rồi thoát."


class VnFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Cách dùng: " if prefix is None else prefix)


class VnContext(click.Context):
    formatter_class = VnFormatter


class VnOption(click.Option):
    """An option whose help line says its default, range and "bắt buộc" in Vietnamese."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        if self.hidden:
            return None
        spec = ", ".join(self.opts + self.secondary_opts)
        if not self.is_flag and not self.count:
            shown = self.metavar or (self.type.get_metavar(self, ctx) if _new_click() else self.type.get_metavar(self))
            spec += " " + (shown or "GIÁ_TRỊ")   # never Click's English TEXT/INTEGER
        extra = []
        if self.show_default and self.default is not None and not self.is_flag:
            extra.append(f"mặc định: {self.default}")
        if isinstance(self.type, click.types._NumberRangeBase):
            low, high = self.type.min, self.type.max
            if low is not None and high is not None:
                extra.append(f"từ {low} đến {high}")
            elif low is not None:
                extra.append(f"từ {low} trở lên")
            elif high is not None:
                extra.append(f"tối đa {high}")
        if self.required:
            extra.append("bắt buộc")
        help_text = self.help or ""
        if extra:
            help_text = f"{help_text}  [{'; '.join(extra)}]".strip()
        return spec, help_text


def _new_click() -> bool:
    import inspect

    return "ctx" in inspect.signature(click.ParamType.get_metavar).parameters


class VnCommand(click.Command):
    context_class = VnContext

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("options_metavar", "[TÙY_CHỌN]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context):
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [r for p in self.get_params(ctx) if not isinstance(p, click.Argument)
                for r in [p.get_help_record(ctx)] if r is not None]
        if rows:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(rows)


class VnGroup(VnCommand, click.Group):
    command_class = VnCommand

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        VnCommand.format_options(self, ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(formatter.width - 6 - max(map(len, self.commands)))))
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)


def option(*decls, **attrs):
    return click.option(*decls, cls=VnOption, **attrs)


def param_name(param) -> str:
    if param is None:
        return ""
    if param.param_type_name == "option":
        return "/".join(param.opts)
    return param.metavar or param.human_readable_name


def usage_message(err: click.UsageError, commands) -> str:
    """Click's English usage errors, said in Vietnamese (never Click's own text)."""
    param = getattr(err, "param", None)
    name = param_name(param)
    if isinstance(err, click.MissingParameter):
        if param is not None and param.param_type_name == "argument":
            return f"thiếu {name}: ghi đường dẫn của sổ Excel sau tên lệnh."
        return f"thiếu tùy chọn {name or 'bắt buộc'}."
    if isinstance(err, click.NoSuchOption):
        hint = f" Có phải ý bạn là {', '.join(sorted(err.possibilities))}?" if err.possibilities else ""
        return f"không có tùy chọn {err.option_name}.{hint}"
    if isinstance(err, click.BadOptionUsage):
        return f"tùy chọn {err.option_name} cần một giá trị ngay sau nó."
    if isinstance(err, click.BadParameter):
        kind = getattr(param, "type", None)
        if isinstance(kind, click.Choice):
            return f"giá trị không hợp lệ cho {name}; chọn một trong: {', '.join(map(str, kind.choices))}."
        if isinstance(kind, click.types.IntRange):
            return f"giá trị không hợp lệ cho {name}; nhập một số nguyên trong khoảng {kind.min} đến {kind.max}."
        return f"giá trị không hợp lệ cho {name or 'tham số'}."
    message = str(err.message)
    if "No such command" in message:
        return f"không có lệnh này. Các lệnh: {', '.join(sorted(commands))}."
    if "unexpected extra argument" in message:
        return "thừa tham số. Nếu đường dẫn có dấu cách, đặt nó trong ngoặc kép."
    return "cách ghi lệnh chưa đúng."
