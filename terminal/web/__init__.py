"""The member's side on their phone: ``member-terminal serve`` (Starlette)."""
