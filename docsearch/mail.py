"""Notification e-mails: through the SMTP server of the settings (``smtp_host``; none: no e-mail at all).

An e-mail names the documents a watch found, with the page and the sentence it was found in, and links to them
in the web interface (``public_url``); the reader signs in there to read them.
"""

from __future__ import annotations

import html
import re
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import quote

from docsearch.settings import Settings

_TAG = re.compile(r"</?mark>")


@dataclass(frozen=True)
class Notice:
    watch: str  # the watch's label
    title: str
    document_id: str
    page: int | None
    snippet: str | None  # HTML-safe, hits in <mark>


@dataclass(frozen=True)
class Mailer:
    settings: Settings

    @classmethod
    def of(cls, settings: Settings) -> Mailer | None:
        """The mailer of these settings, or None when no SMTP server is configured (the default)."""
        return cls(settings) if settings.smtp_host.strip() else None

    def link(self, notice: Notice) -> str:
        page = f"?page={notice.page}" if notice.page else ""
        return f"{self.settings.public_url.rstrip('/')}/#/doc/{quote(notice.document_id)}{page}"

    def message(self, to: str, notices: list[Notice]) -> EmailMessage:
        msg = EmailMessage()
        if len(notices) == 1:
            msg["Subject"] = f"docsearch: {notices[0].title} ({notices[0].watch})"
        else:
            msg["Subject"] = f"docsearch: {len(notices)} documentos nuevos en sus vigilancias"
        msg["From"] = self.settings.smtp_from
        msg["To"] = to
        lines = ["Documentos nuevos en sus vigilancias / New documents in your watches:", ""]
        for notice in notices:
            lines.append(f"* {notice.title}")
            lines.append(f"  Vigilancia / Watch: {notice.watch}")
            if notice.page:
                lines.append(f"  Página / Page {notice.page}")
            if notice.snippet:
                lines.append("  «" + html.unescape(_TAG.sub("", notice.snippet)).strip() + "»")
            lines.append(f"  {self.link(notice)}")
            lines.append("")
        lines.append("Para dejar de recibir estos avisos, cambie o borre la vigilancia en docsearch.")
        msg.set_content("\n".join(lines))
        return msg

    def send(self, to: str, notices: list[Notice]) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username and s.smtp_password:
                smtp.login(s.smtp_username, s.smtp_password)
            smtp.send_message(self.message(to, notices))
