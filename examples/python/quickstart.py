"""Python quick start: open a back office, register a player, look at it, check the audit log."""

import pitboss

bo = pitboss.open("sqlite://casino.db")  # or "postgresql://user@host/db"
admin = bo.access.system_actor("bootstrap")  # the seeded administrator

player = bo.players.find_by_external_id(admin, "p-1001") or bo.players.register_player(
    admin, external_id="p-1001", country="MT", birth_date="1990-05-17", currency="EUR",
    email="ada@example.com", consents={"email": True}, tags=["vip"])
print("player", player.id, player.external_id, player.status.name, player.registered_at)

bo.players.update_player(admin, player.id, tags=["vip", "high-roller"])
print(bo.players.frame(admin)[["external_id", "country", "status", "tags"]])

report = bo.audit.verify()  # walks the hash chain
print("audit chain ok:", report.ok, "entries:", report.entries_checked)
