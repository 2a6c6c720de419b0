from django.utils.translation import gettext_lazy as _

# What the audit page calls each action; an action not listed is shown by its code.
ACTION_LABELS = {
    "auth.signin": _("Signed in"),
    "auth.signin_failed": _("Failed sign-in"),
    "auth.locked": _("Account locked"),
    "auth.unlock": _("Account unlocked"),
    "auth.signout": _("Signed out"),
    "auth.password_change": _("Password changed"),
    "auth.password_reset": _("Password reset"),
    "auth.otp_enrolled": _("Second factor set up"),
    "auth.otp_removed": _("Second factor removed"),
    "auth.otp_reset": _("Second factor reset"),
    "org.role_change": _("Role changed"),
    "create": _("Created"),
    "update": _("Changed"),
    "read": _("Read"),
    "audit.export": _("Audit log exported"),
    "audit.purge": _("Old audit rows purged"),
}
