"""Demo reference data for `flask seed-demo`. Idempotent: matched by slug."""

from sqlalchemy import select

from ..extensions import db
from .models import Department, District

DISTRICTS = [
    ("darkhan-old", "Дархан сум — Хуучин Дархан", "Darkhan soum — Old Darkhan"),
    ("darkhan-new", "Дархан сум — Шинэ Дархан", "Darkhan soum — New Darkhan"),
    ("darkhan-west", "Дархан сум — Баруун Дархан", "Darkhan soum — West Darkhan"),
    ("orkhon", "Орхон сум", "Orkhon soum"),
    ("khongor", "Хонгор сум", "Khongor soum"),
    ("sharyngol", "Шарын гол сум", "Sharyngol soum"),
    ("outside", "Аймгаас гадна", "Outside the province"),
]

DEPARTMENTS = [
    ("governor-office", "Дархан-Уул аймгийн Засаг даргын Тамгын газар",
     "Governor's Office of Darkhan-Uul Province"),
    ("darkhan-soum", "Дархан сумын Засаг даргын Тамгын газар", "Darkhan Soum Governor's Office"),
    ("environment", "Байгаль орчин, аялал жуулчлалын газар",
     "Department of Environment and Tourism"),
    ("education", "Боловсролын газар", "Department of Education"),
    ("health", "Эрүүл мэндийн газар", "Department of Health"),
    ("urban-development", "Газар зохион байгуулалт, барилга, хот байгуулалтын газар",
     "Department of Land, Construction and Urban Development"),
    ("city-services", "Хот тохижилт, нийтийн аж ахуйн газар",
     "Department of Public Utilities and City Services"),
    ("water", "Ус сувгийн удирдах газар", "Water Supply and Sewage Authority"),
    ("heating", "Дарханы дулааны цахилгаан станц", "Darkhan Thermal Power Station"),
    ("police", "Цагдаагийн газар", "Police Department"),
    ("labour-welfare", "Хөдөлмөр, халамжийн үйлчилгээний газар",
     "Department of Labour and Social Welfare"),
]


def seed_reference() -> None:
    for position, (slug, name_mn, name_en) in enumerate(DISTRICTS):
        if db.session.scalar(select(District).where(District.slug == slug)) is None:
            db.session.add(District(slug=slug, name_mn=name_mn, name_en=name_en,
                                    position=position))
    for slug, name_mn, name_en in DEPARTMENTS:
        if db.session.scalar(select(Department).where(Department.slug == slug)) is None:
            db.session.add(Department(slug=slug, name_mn=name_mn, name_en=name_en))
    db.session.commit()
