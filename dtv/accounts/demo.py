from dtv.accounts.models import Team, User
from dtv.accounts.roles import Role
from dtv.accounts.services import set_role

DEMO_PASSWORD = "dtv-demo-2026"  # noqa: S105 (documented demo password, refused in production)

# username, first name, last name, role, team
DEMO_ACCOUNTS = [
    ("officer", "Sanne", "de Vries", Role.OFFICER, "Noord"),
    ("officer2", "Daan", "Bakker", Role.OFFICER, "Noord"),
    ("officer3", "Fatima", "El Amrani", Role.OFFICER, "Zuid"),
    ("teamlead", "Marieke", "Jansen", Role.TEAM_LEAD, "Noord"),
    ("partner", "Kees", "Visser", Role.PARTNER, None),
    ("admin", "Ruud", "Smit", Role.ADMIN, None),
    ("auditor", "Ingrid", "Meijer", Role.AUDITOR, None),
]

TEAMS = [("Noord", "Noord-Nederland"), ("Zuid", "Zuid-Nederland")]


def seed(ctx) -> None:
    for name, region in TEAMS:
        team, _created = Team.objects.get_or_create(name=name, defaults={"region": region})
        ctx.teams[name] = team
    for username, first, last, role, team_name in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last)
            user.email = f"{username}@terugkeer.example"
            user.set_password(DEMO_PASSWORD)
            user.save()
        set_role(user, role, team=ctx.teams[team_name] if team_name else None)
        ctx.users[username] = user
    lead_team = ctx.teams["Noord"]
    if lead_team.lead_id != ctx.users["teamlead"].pk:
        lead_team.lead = ctx.users["teamlead"]
        lead_team.save(update_fields=["lead"])
