"""Services created once at start and passed to handlers and commands (never globals)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from bot.config import Config
from bot.render import notice_html
from intents import Matcher
from intents.assistant import Assistant
from knowledge import Gazetteer, KnowledgeBase, open_db
from knowledge.drafts import Drafts
from knowledge.faq_admin import FaqAdmin
from knowledge.notices import Notices
from knowledge.outbox import Outbox
from knowledge.roles import Roles
from knowledge.station_admin import StationAdmin
from knowledge.stations import Stations
from knowledge.users import Users
from scheduler.reminders import Reminders


@dataclass
class Services:
    """The database and the domain objects built on it."""

    config: Config
    db: Database
    kb: KnowledgeBase
    gazetteer: Gazetteer
    matcher: Matcher
    users: Users
    assistant: Assistant
    stations: Stations
    outbox: Outbox
    reminders: Reminders
    drafts: Drafts
    roles: Roles
    notices: Notices
    faq_admin: FaqAdmin
    station_admin: StationAdmin

    @classmethod
    def open(cls, config: Config, *, load: bool = True, background_index: bool = False) -> Services:
        """Open the database (loading the shipped knowledge base on first start). With
        `background_index` (the bot), knowledge-base edits are indexed off the event loop."""
        db = open_db(config.database)
        gazetteer = Gazetteer.from_yaml()
        kb = KnowledgeBase(db, gazetteer)
        if load:
            kb.ensure_loaded()
        matcher, users = Matcher(kb, background=background_index), Users(db)
        _ = matcher.index          # prepare the knowledge base once, before the first question
        assistant = Assistant(matcher, users, today=config.today)
        stations, outbox, drafts = Stations(db, kb, config.admin_ids), Outbox(db, kb), Drafts(db)
        roles = stations.roles
        notices = Notices(db, stations, outbox, drafts, roles, config.tz, render=notice_html,
                          quiet_hours=config.quiet_hours)
        return cls(config=config, db=db, kb=kb, gazetteer=gazetteer, matcher=matcher, users=users,
                   assistant=assistant, stations=stations, outbox=outbox, reminders=Reminders(db, kb, config.tz),
                   drafts=drafts, roles=roles, notices=notices, faq_admin=FaqAdmin(kb, drafts, roles),
                   station_admin=StationAdmin(stations, drafts, roles))

    def close(self) -> None:
        """Close the database."""
        self.db.close()
