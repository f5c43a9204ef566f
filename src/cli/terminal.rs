//! Terminal conventions, read through `anstyle-query` (the crate clap's own colouring uses)
//! rather than by hand, so keyhound agrees with other tools on the same variables:
//! `NO_COLOR` (only when non-empty), `CLICOLOR_FORCE`, `CLICOLOR=0` and `TERM=dumb`.

/// Whether `--color auto` colours output going to a terminal (`to_terminal`):
/// `CLICOLOR_FORCE` forces colour even into a pipe; otherwise `NO_COLOR`, `CLICOLOR=0`, a
/// `dumb` (or unset) `TERM`, or a non-terminal turn it off.
pub fn color_wanted(to_terminal: bool) -> bool {
    if anstyle_query::clicolor_force() {
        return true;
    }
    if anstyle_query::no_color() || anstyle_query::clicolor() == Some(false) {
        return false;
    }
    to_terminal && anstyle_query::term_supports_ansi_color()
}

/// Whether a redrawn progress line can work on stderr: a terminal that understands cursor
/// movement (not `TERM=dumb`).
pub fn can_redraw(stderr_is_terminal: bool) -> bool {
    stderr_is_terminal && anstyle_query::term_supports_ansi_color()
}
