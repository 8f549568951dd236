"""The enrolment dialog: a new member at the counter, with or without a sale."""

from __future__ import annotations

from PySide6.QtCore import QDate, Slot
from PySide6.QtWidgets import QDateEdit, QFormLayout, QWidget

from ....core.errors import InvalidInput
from ....services import members
from ....services.context import Context
from ...qt.tasks import TaskRunner
from ...text import tr
from ...widgets import TOUCH_PX, ErrorLine, check_box, touch_edit
from .task_dialog import TaskDialog


class EnrolDialog(TaskDialog):
    """``completed`` carries the new member's MemberView."""

    def __init__(self, runner: TaskRunner, ctx: Context, parent: QWidget | None = None, *,
                 phone: str = "") -> None:
        super().__init__(runner, ctx, parent, title=tr("Enrol a member"), width=560)
        self.name_edit = touch_edit("name_edit")
        self.phone_edit = touch_edit("phone_edit", tr("e.g. 138 0013 8000"))
        self.phone_edit.setText(phone)  # a number looked up at the counter that nobody has
        self.phone_error = ErrorLine()
        self.phone_error.setObjectName("phone_error")
        self.email_edit = touch_edit("email_edit", tr("For offers by e-mail (optional)"))
        self.email_error = ErrorLine()
        self.consent = check_box(tr("Agrees to receive offers"))
        self.has_birthday = check_box(tr("Birthday"))
        self.birthday = QDateEdit()
        self.birthday.setDisplayFormat("yyyy-MM-dd")
        self.birthday.setCalendarPopup(True)
        today = QDate.currentDate()
        self.birthday.setMaximumDate(today)
        self.birthday.setDate(today.addYears(-30))
        self.birthday.setEnabled(False)
        self.birthday.setMinimumHeight(TOUCH_PX)
        self.referrer_edit = touch_edit("referrer_edit", tr("Their referral code (optional)"))
        self.make_buttons(tr("Enrol"))

        form = QFormLayout()
        form.addRow(tr("Name"), self.name_edit)
        form.addRow(tr("Phone"), self.phone_edit)
        form.addRow("", self.phone_error)
        form.addRow(tr("E-mail"), self.email_edit)
        form.addRow("", self.email_error)
        form.addRow(self.has_birthday, self.birthday)
        form.addRow(tr("Referrer"), self.referrer_edit)
        form.addRow("", self.consent)
        self.stack(form)
        self.phone_edit.textEdited.connect(self.on_phone_edited)
        self.email_edit.editingFinished.connect(self.on_email_finished)
        self.has_birthday.toggled.connect(self.birthday.setEnabled)
        self.name_edit.setFocus()

    @Slot(str)
    def on_phone_edited(self, text: str) -> None:
        # normalize_phone is pure (the phonenumbers library): safe on the GUI thread
        if not text.strip():
            self.phone_error.clear()
            return
        try:
            members.normalize_phone(text, self.ctx.settings.store.phone_region)
        except InvalidInput as exc:
            self.phone_error.show_error(exc)
        else:
            self.phone_error.show_info(tr("Phone number OK"))

    @Slot()
    def on_email_finished(self) -> None:
        # the form alone (email-validator, no look-up of the domain): safe on the GUI thread
        text = self.email_edit.text()
        if not text.strip():
            self.email_error.clear()
            return
        try:
            members.normalize_email(text)
        except InvalidInput as exc:
            self.email_error.show_error(exc)
        else:
            self.email_error.clear()

    @Slot()
    def on_confirm_clicked(self) -> None:
        birthday = self.birthday.date().toPython() if self.has_birthday.isChecked() else None
        req = members.EnrolRequest(
            name=self.name_edit.text(), phone=self.phone_edit.text(),
            birthday=birthday,  # type: ignore[arg-type]  # QDate.toPython() gives a date
            marketing_consent=self.consent.isChecked(),
            referral_code=self.referrer_edit.text().strip() or None,
            email=self.email_edit.text().strip() or None)
        ctx = self.ctx
        self.submit(lambda: members.view(ctx, members.enrol(ctx, req).id), tr("Enrolling"))
