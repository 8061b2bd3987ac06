"""The demo's talks of the year, seeded after the Party branches (DEMO_MODULES): most of
the required pairs (cadres.coverage) have talked, about one in eight has not, so the
coverage page and the October reminders have something to show. Idempotent."""

import datetime as dt
import random

from django.contrib.auth.models import User

from core import dates

from .coverage import required_pairs
from .models import Talk

CONTENT = {
    Talk.Trigger.ROUTINE: "交流思想和工作情况，听取对科室工作的意见建议。",
    Talk.Trigger.POST_CHANGE: "岗位调整后谈心，明确新岗位职责和廉政要求。",
    Talk.Trigger.APPRAISAL: "年度考核后反馈考核情况，指出不足和努力方向。",
    Talk.Trigger.HOLIDAY: "节前廉洁提醒，严守中央八项规定精神。",
    Talk.Trigger.OWN_REQUEST: "本人反映家庭困难，了解情况并协调解决。",
}
MISSING_EVERY = 8


def seed() -> dict:
    today = dates.today()
    if Talk.objects.filter(date__year=today.year).exists():
        return {"talks": Talk.objects.count()}
    rng = random.Random(11)
    recorder = User.objects.filter(username="hr").first()
    first = dt.date(today.year, 1, 10)
    span = max(1, (today - first).days)
    talks = []
    for index, pair in enumerate(required_pairs()):
        if index % MISSING_EVERY == MISSING_EVERY - 1:
            continue
        trigger = rng.choice(list(CONTENT))
        talks.append(
            Talk(
                date=first + dt.timedelta(days=rng.randint(0, span)),
                place=f"{pair.talker.department.name}办公室",
                talker_id=pair.talker.pk,
                talkee_id=pair.talkee.pk,
                kind=Talk.Kind.REMINDER if trigger == Talk.Trigger.HOLIDAY else Talk.Kind.HEART,
                trigger=trigger,
                content=CONTENT[trigger],
                effect="谈话对象表示认同，态度端正。",
                recorded_by_id=pair.talker.user_id or (recorder.pk if recorder else None),
            )
        )
    Talk.objects.bulk_create(talks)
    return {"talks": len(talks)}
