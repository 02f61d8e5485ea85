"""Who and what the relevance corpus is about: the people (parties of the cases, and distractors whose
names share words with them), organisations, places, the cases, the topics and the registers."""

from __future__ import annotations

# People: key -> (full name, short name used in running text). Parties of the cases, then distractors whose names
# share words with them (queried names must be told apart from these).
PERSONS = {
    "p01": ("Wilmer Aurelio Quispe Huamán", "Quispe Huamán"),
    "p02": ("Jhonny Alberto Sánchez Paredes", "Sánchez Paredes"),
    "p03": ("Rosa Elvira Cárdenas Villanueva", "Cárdenas Villanueva"),
    "p04": ("Marco Antonio Ñique Salas", "Ñique Salas"),
    "p05": ("Gustavo Adolfo Benavides Rímac", "Benavides Rímac"),
    "p06": ("Lucía Fernanda Oyarce Tello", "Oyarce Tello"),
    "p07": ("Teodoro Huamaní Ccori", "Huamaní Ccori"),
    "p08": ("Delia Rosario Paucar Inga", "Paucar Inga"),
    "p09": ("Edwin Ríos Chumbe", "Ríos Chumbe"),
    "p10": ("Óscar Zevallos Pinto", "Zevallos Pinto"),
    "p11": ("Pedro Pablo Mendoza Rivas", "Mendoza Rivas"),
    "p12": ("Juana Mamani Quispe", "Mamani Quispe"),
    "p13": ("Julio César Mamani Condori", "Mamani Condori"),
    "p14": ("Fredy Ccahuana Yupanqui", "Ccahuana Yupanqui"),
    "p15": ("Ricardo Salvador Villena Paz", "Villena Paz"),
    "p16": ("Nelly Ramos Atoche", "Ramos Atoche"),
    # distractors: never parties of a case
    "x01": ("Wilmer Huamán Rojas", "Huamán Rojas"),
    "x02": ("Julio Quispe Mamani", "Quispe Mamani"),
    "x03": ("Rosa Villanueva Paredes", "Villanueva Paredes"),
    "x04": ("Gustavo Rímac Salazar", "Rímac Salazar"),
    "x05": ("César Condori Mamani", "Condori Mamani"),
}
FIRST_NAMES = ["Luis", "Carmen", "Jorge", "Ana", "Víctor", "Milagros", "Raúl", "Patricia", "Hugo", "Elena", "Iván",
               "Sonia", "Walter", "Gladys", "Alfredo", "Karina", "Ernesto", "Beatriz", "Manuel", "Silvia"]
SURNAMES = ["Torres", "Gómez", "Flores", "Vargas", "Castillo", "Chávez", "Rojas", "Díaz", "Herrera", "Medina",
            "Aguilar", "Ponce", "Espinoza", "Cruz", "Salinas", "Arévalo", "Loayza", "Tapia", "Núñez", "Bustamante"]

# Organisations: key -> name. Criminal organisations (o..) and companies (e..).
ORGS = {
    "o01": "Los Halcones del Puerto", "o02": "Los Injertos de Carabayllo", "o03": "Los Tiranos de La Pampa",
    "o04": "La Jauría del Santa", "o05": "Los Charlys del VRAEM", "o06": "Los Cuervos de Juliaca",
    "e01": "Exportadora Frutos del Norte S.A.C.", "e02": "Inversiones Santa Clara E.I.R.L.",
    "e03": "Constructora Los Álamos S.A.C.", "e04": "Hospedaje El Paraíso E.I.R.L.",
    "e05": "Minera Aurífera Señor de Quilla S.A.C.", "e06": "Consorcio Vial Lambayeque",
    "e07": "Transportes Mar Azul E.I.R.L.", "e08": "Agroindustrias San Gabriel S.A.",
}
GENERIC_ORGS = ["Los Malditos del Sur", "Los Topos del Rímac", "La Red del Oriente", "Los Pulpos del Norte"]
GENERIC_COMPANIES = ["Comercializadora Andina S.A.C.", "Servicios Generales Pacífico E.I.R.L.",
                     "Importaciones Lucero S.R.L.", "Negocios Cordillera S.A.C.", "Grupo Inmobiliario Miraflores S.A."]
PLACES = ["Lima", "Callao", "Piura", "Tingo María", "Puerto Maldonado", "Chiclayo", "Juliaca", "Ayacucho",
          "Chimbote", "Trujillo", "Arequipa", "Pucallpa", "Huánuco", "Tumbes", "Cusco"]

# Cases: each gives 3-5 documents (police report, prosecutor's request, ruling, appeal) sharing their cast.
CASES = [
    dict(topics=["tid", "co"], persons=["p01", "p02"], org="o01", emp="e01", lugar="Callao",
         droga="clorhidrato de cocaína", year=2019, cites=["rn456", "ley30077"], extra=["tei"]),
    dict(topics=["co", "lavado"], persons=["p03", "p04"], org="o02", emp="e02", lugar="Lima",
         droga="pasta básica de cocaína", year=2020, cites=["ap1_2017", "dl1106"]),
    dict(topics=["lavado"], persons=["p05", "p06"], org=None, emp="e03", lugar="Piura",
         droga="clorhidrato de cocaína", year=2018, cites=["cas1234", "ap3_2010"]),
    dict(topics=["ed"], persons=["p07", "p08"], org=None, emp="e04", lugar="Tingo María",
         droga="pasta básica de cocaína", year=2021, cites=["dl1373"]),
    dict(topics=["mineria", "lavado"], persons=["p09", "p16"], org=None, emp="e05", lugar="Puerto Maldonado",
         droga="clorhidrato de cocaína", year=2020, cites=["dl1106"]),
    dict(topics=["corr"], persons=["p10", "p11"], org=None, emp="e06", lugar="Chiclayo",
         droga="clorhidrato de cocaína", year=2017, cites=["art384"]),
    dict(topics=["trata", "co"], persons=["p12", "p15"], org="o03", emp="e07", lugar="Puerto Maldonado",
         droga="clorhidrato de cocaína", year=2019, cites=["ley30077"]),
    dict(topics=["tid", "tei"], persons=["p13", "p14"], org="o06", emp="e08", lugar="Juliaca",
         droga="marihuana", year=2022, cites=["art296"]),
    dict(topics=["tid", "lavado"], persons=["p14", "p02"], org="o05", emp="e07", lugar="Ayacucho",
         droga="pasta básica de cocaína", year=2018, cites=["art296", "dl1106"]),
    dict(topics=["co", "tei"], persons=["p15", "p16"], org="o04", emp="e08", lugar="Chimbote",
         droga="marihuana", year=2021, cites=["ley30077", "art317"]),
]

TOPIC_NAMES_EN = {"lavado": "Money Laundering", "tid": "Drug Trafficking", "co": "Organized Crime",
                  "ed": "Asset Forfeiture", "tei": "Special Investigative Techniques",
                  "corr": "Corruption of Public Officials", "trata": "Human Trafficking", "mineria": "Illegal Mining"}
TOPIC_TITLES_ES = {"lavado": "lavado de activos", "tid": "tráfico ilícito de drogas", "co": "crimen organizado",
                   "ed": "extinción de dominio", "tei": "técnicas especiales de investigación",
                   "corr": "delitos de corrupción de funcionarios", "trata": "trata de personas",
                   "mineria": "minería ilegal", "robo": "robo agravado", "violencia": "violencia familiar",
                   "tributario": "defraudación tributaria", "habeas": "hábeas corpus"}
MAIN_TOPICS = ["lavado", "tid", "co", "ed", "tei", "corr", "trata", "mineria"]
SIDE_TOPICS = ["robo", "violencia", "tributario", "habeas"]
DRUGS = {"cocaina": ["cocaína", "cocaine"], "marihuana": ["marihuana", "marijuana", "cannabis"]}
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre", "octubre",
          "noviembre", "diciembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
REGISTERS = {  # generator register -> the doc_type label the search offers as a filter
    "informe": "informe policial", "requerimiento": "requerimiento", "sentencia": "sentencia",
    "casacion": "casación", "rn": "recurso de nulidad", "plenario": "acuerdo plenario",
    "manual": "material de capacitación", "note_en": "material de capacitación", "auto": "auto",
}
