"""Who takes part, drawn at random but realistically: Mongolian given names with a
patronymic initial, Mongolian mobile numbers, stakeholder kinds, genders, age bands and the
province's soums (most people from Darkhan soum)."""

import random

FEMALE = ["Сарнай", "Энхтуяа", "Наранцэцэг", "Мөнхзул", "Оюунгэрэл", "Алтанцэцэг", "Солонго",
          "Цэцэгмаа", "Номин", "Хулан", "Уянга", "Золзаяа", "Анужин", "Сувд", "Болормаа",
          "Гэрэлмаа", "Оюунчимэг", "Ариунаа", "Мишээл", "Сэлэнгэ", "Нандин", "Туяа", "Дэлгэрмаа",
          "Энхжаргал", "Хонгорзул", "Бямбасүрэн", "Одгэрэл", "Мөнхцэцэг"]
MALE = ["Батболд", "Төмөрбаатар", "Отгонбаяр", "Ганбаатар", "Баярсайхан", "Дашдорж",
        "Эрдэнэбат", "Пүрэвдорж", "Ариунболд", "Билгүүн", "Тэмүүжин", "Баттулга", "Ганзориг",
        "Мөнх-Эрдэнэ", "Болд", "Сүхбаатар", "Энхбаяр", "Нямдорж", "Хүрэлбаатар", "Жаргалсайхан",
        "Дөлгөөн", "Тэмүүлэн", "Өлзийбаяр", "Ганхуяг", "Цогтбаатар", "Амарсайхан", "Бат-Эрдэнэ"]
INITIALS = "АБГДЖЗЛМНОӨПРСТУҮХЦЧШЭЯ"
LATIN = "abcdefghijklmnoprstuvz"
KINDS = ["citizen"] * 12 + ["government"] * 3 + ["business"] * 2 + ["ngo"] * 2 + \
    ["academia", "media", "international"]
ORGANISATIONS = {
    "government": ["Дархан сумын ЗДТГ", "Аймгийн ЗДТГ", "Орхон сумын ЗДТГ", "Нийслэлийн ЗДТГ"],
    "business": ["Эко Вүүл ХХК", "Дархан Төмөрлөгийн Үйлдвэр ХК", "Дархан Нэхий ХК",
                 "Сэлэнгэ Гурил ХХК", "Дархан Хүнс ХХК"],
    "ngo": ["Ногоон Дархан ТББ", "Иргэний Оролцоо Сан", "Залуучуудын Холбоо"],
    "academia": ["ХААИС-ийн Дархан дахь салбар", "Дархан-Уул аймгийн Политехник коллеж"],
    "media": ["Дархан ТВ", "Дарханы Мэдээ сонин"],
    "international": ["ЕХ-ны Төлөөлөгчийн газар", "NALAS"],
}
GENDERS = ["female"] * 52 + ["male"] * 45 + ["undisclosed"] * 2 + ["other"]
AGE_BANDS = ["under-18"] * 3 + ["18-24"] * 16 + ["25-34"] * 25 + ["35-44"] * 22 + \
    ["45-54"] * 17 + ["55-64"] * 11 + ["65+"] * 6
# district slug -> weight: Darkhan soum's three parts hold most of the province's people
DISTRICT_WEIGHTS = {"darkhan-old": 30, "darkhan-new": 28, "darkhan-west": 17, "orkhon": 7,
                    "khongor": 7, "sharyngol": 8, "outside": 3}
PHONE_PREFIXES = ["88", "89", "99", "95", "94", "91", "80", "85", "86"]


class People:
    """A seeded source of people; `districts` maps a district slug to its id."""

    def __init__(self, chooser: random.Random, districts: dict[str, int]):
        self.chooser = chooser
        weighted = [(districts[slug], weight) for slug, weight in DISTRICT_WEIGHTS.items()
                    if slug in districts] or [(None, 1)]
        self.district_ids = [district_id for district_id, _w in weighted]
        self.district_weights = [weight for _id, weight in weighted]

    def person(self, number: int) -> dict:
        """The personal fields of a registration (or an account) numbered `number`."""
        pick = self.chooser
        gender = pick.choice(GENDERS)
        given = pick.choice(FEMALE if gender == "female" else MALE)
        kind = pick.choice(KINDS)
        latin = "".join(pick.choice(LATIN) for _ in range(6))
        return {
            "name": f"{pick.choice(INITIALS)}. {given}",
            "email": f"{latin}.{number}@scale.forum.mn",
            "phone": f"{pick.choice(PHONE_PREFIXES)}{pick.randint(100000, 999999)}",
            "language": "mn" if pick.random() < 0.9 else "en",
            "stakeholder_kind": kind,
            "organisation": pick.choice(ORGANISATIONS[kind]) if kind in ORGANISATIONS else None,
            "district_id": pick.choices(self.district_ids, self.district_weights)[0],
            "gender": gender,
            "age_band": pick.choice(AGE_BANDS),
        }
