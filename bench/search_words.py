"""The words the search benchmark's documents are made of: a legal vocabulary (most frequent first: the
Zipf rank is the position), names, places, organisations, laws and case districts. Fictitious text."""

from __future__ import annotations

import re

# Nouns with their gender, most frequent first (Zipf rank = position).
NOUNS_M = """proceso delito imputado juez fiscal hecho requerimiento plazo mandato auto informe acto elemento
expediente recurso derecho principio peligro riesgo dinero patrimonio inmueble vehículo contenedor cargamento
almacén laboratorio acusado testigo agraviado perito peritaje dictamen allanamiento registro decomiso embargo
secuestro operativo seguimiento procedimiento juicio debate alegato fundamento considerando extremo agravio
despacho colegiado tribunal órgano cargo sustento indicio arraigo vínculo beneficio pago depósito movimiento
desbalance incremento origen destino traslado envío transporte acopio embarque puerto aeropuerto terminal
control hallazgo paquete ladrillo kilogramo análisis resultado estudio caso tipo delito sujeto autor cómplice
partícipe instigador cabecilla integrante miembro grupo aparato esquema circuito flujo financiamiento activo
bien producto instrumento efecto objeto valor monto importe saldo contrato documento certificado título
testimonio protocolo acta oficio escrito pronunciamiento razonamiento criterio estándar umbral margen
término lugar domicilio distrito territorio ámbito sector mercado comercio negocio rubro giro capital
aporte préstamo crédito cheque retiro reporte sistema mecanismo método uso manejo empleo servicio apoyo
recaudo archivo sobreseimiento desistimiento requisito supuesto presupuesto fin objetivo resultado perjuicio
daño menoscabo interés orden mandato cese levantamiento impedimento arresto internamiento cumplimiento""".split()
NOUNS_F = """investigación prisión medida organización droga pena sentencia resolución audiencia defensa
prueba declaración diligencia incautación intervención carpeta disposición acusación imputación conducta
comisión actividad empresa sociedad cuenta transferencia operación suma cantidad sustancia muestra pericia
comunicación interceptación videovigilancia técnica información fuente inteligencia unidad fiscalía sala
corte instancia apelación casación nulidad queja excepción cuestión tesis teoría hipótesis versión
argumentación motivación valoración calificación tipificación subsunción agravante atenuante circunstancia
responsabilidad culpabilidad participación autoría coautoría complicidad colaboración cooperación asistencia
solicitud petición pretensión reparación indemnización multa inhabilitación reclusión detención libertad
comparecencia restricción caución garantía vigilancia obligación regla norma ley disposición jurisprudencia
doctrina línea posición postura jerarquía estructura red célula banda facción estrategia ruta vía frontera
región provincia zona ciudad localidad vivienda propiedad finca parcela chacra plantación cosecha producción
elaboración comercialización distribución venta compra adquisición posesión tenencia conversión ocultación
simulación apariencia procedencia licitud ilicitud relevancia gravedad proporcionalidad necesidad idoneidad
urgencia flagrancia denuncia noticia querella notificación citación emplazamiento etapa fase formalización
conclusión decisión consecuencia evaluación capacitación enseñanza materia asignatura lección unidad""".split()
ADJECTIVES = """penal procesal fiscal judicial preventivo criminal ilícito organizado nacional provincial
superior supremo especializado preparatorio preliminar formalizado objetivo subjetivo típico antijurídico
culpable grave leve doloso culposo agravado atenuado económico financiero patrimonial bancario comercial
tributario aduanero portuario internacional transnacional extranjero peruano público privado estatal
fundado razonable suficiente idóneo necesario proporcional legítimo válido nulo eficaz ineficaz firme
definitivo provisional cautelar personal real probatorio pericial documental testimonial material formal
sustancial relevante determinante concreto abstracto específico general particular especial común anterior
posterior previo actual reciente sucesivo continuo permanente temporal reiterado múltiple diverso distinto
similar idéntico mayor menor alto bajo elevado reducido considerable significativo escaso abundante
injustificado inusual irregular sospechoso clandestino oculto aparente simulado fraudulento falso verdadero
directo indirecto inmediato mediato principal accesorio secundario primario complementario adicional""".split()
VERBS = """sostiene|advierte|señala|precisa|refiere|indica|concluye|acredita|establece|determina|valora|
considera|estima|sustenta|argumenta|alega|afirma|reconoce|niega|cuestiona|impugna|solicita|requiere|
dispone|ordena|resuelve|declara|confirma|revoca|anula|desestima|admite|rechaza|ampara|evalúa|analiza|
examina|verifica|constata|corrobora|descarta|atribuye|imputa|vincula|relaciona|identifica|describe|
detalla|explica|expone|comunica|informa|registra|documenta""".replace("\n", "").split("|")
CONNECTORS = ["Asimismo", "Por otro lado", "En tal sentido", "Sin embargo", "Por consiguiente", "En efecto",
              "Además", "De otro lado", "En consecuencia", "Por ello", "Al respecto", "En ese orden de ideas",
              "Cabe precisar que", "Debe tenerse en cuenta que", "No obstante", "De igual modo",
              "Conforme a lo expuesto", "En el presente caso", "De lo actuado", "Por tanto"]
SUBJECTS = ["el Ministerio Público", "la defensa técnica", "el representante del Ministerio Público",
            "el juez de investigación preparatoria", "el Colegiado", "la Sala", "este despacho",
            "la Fiscalía", "el órgano jurisdiccional", "la parte civil", "la Procuraduría", "el perito",
            "el colaborador eficaz", "la Policía Nacional", "el tribunal de apelación", "la defensa del imputado"]
PLACES = [p.strip() for p in """Lima, Callao, Huánuco, Tingo María, Pichari, VRAEM, Ayacucho, Cusco, Puno, Juliaca,
Desaguadero, Tumbes, Piura, Paita, Sullana, Chiclayo, Trujillo, Chimbote, Huaraz, Cajamarca, Tarapoto, Moyobamba,
Iquitos, Pucallpa, Puerto Maldonado, Madre de Dios, Tacna, Arequipa, Moquegua, Ilo, Ica, Pisco, Cañete, Huacho,
Huancayo, La Merced, Satipo, Pichanaki, Huancavelica, Abancay, Andahuaylas, Quillabamba, La Convención,
Santiago de Surco, Miraflores, San Isidro, La Victoria, San Juan de Lurigancho, Ate, Comas, Los Olivos, Ventanilla,
San Martín de Porres, Chorrillos, Villa El Salvador, Lurín, Chosica, Aucayacu, Monzón, Leoncio Prado,
Alto Huallaga, Putumayo, Caballococha, Yurimaguas, Bagua, Jaén, Chachapoyas, Nazca, Camaná, Mollendo, Sechura,
Talara, Zarumilla, Aguas Verdes""".split(",")]
GIVEN_M = """Wilmer Édgar Jhonatan Luis Carlos José Juan Jorge Miguel Víctor César Raúl Alberto Manuel Julio
Walter Percy Fredy Elmer Segundo Teodoro Hugo Óscar Rubén Néstor Marco Richard Jhon Kevin Brayan Álex Ítalo
Aurelio Martín Paúl Alfredo Ernesto Guillermo Hernán Ricardo Roberto Santiago Gustavo Abel Eduardo Félix
Fernando Gilberto Héctor Iván Jaime Leonidas Mario Nilo Orlando Pedro Ramiro Simón Tomás Ulises Vladimir""".split()
GIVEN_F = """Rosa Elvira María Ana Carmen Luz Gladys Juana Elizabeth Flor Milagros Yolanda Nancy Sonia Marisol
Patricia Roxana Diana Karina Lucía Sofía Vanessa Jessica Liliana Maribel Norma Olga Pilar Rocío Silvia Teresa
Úrsula Verónica Zoila Beatriz Claudia Delia Esther Fiorella Gabriela Hilda Irma Janet Katherine Lidia Magaly""".split()
SURNAMES = """Quispe Huamán Mamani Flores Rodríguez Sánchez García Rojas Gonzales Díaz Torres López Vargas Ramírez
Chávez Castillo Ramos Espinoza Mendoza Cárdenas Villanueva Salazar Ñañez Ruiz Gutiérrez Pérez Fernández Cruz
Romero Vásquez Castro Morales Reyes Jiménez Herrera Medina Aguilar Rivera Silva Ortiz Álvarez Paredes Cáceres
Ccori Condori Apaza Huanca Choque Ticona Layme Yupanqui Cusi Chambi Pari Coaquira Luque Nina Vilca Zapata
Córdova Valverde Benites Palacios Tello Acosta Salinas Cabrera Navarro Campos Vega Guerrero Montes Arce
Muñoz Delgado León Ríos Lozano Soto Valdivia Zegarra Bustamante Cornejo Del Águila Panduro Pinedo Tuesta
Shapiama Chumpitaz Pacheco Carrasco Inga Huaranga Osorio Poma Tapia Alarcón Velásquez Saavedra Peña Sotelo""".split()
GANG_HEADS = """Topos Malditos Injertos Pulpos Cuellos Blancos Destructores Intocables Tiburones Halcones Lobos
Zorros Chacales Pumas Cóndores Dragones Gatitos Limpios Babys Charlys Escorpiones Cobras Panteras
Águilas Patrones Reyes Fantasmas Elegantes Norteños Sureños Hermanos Primos Compadres Socios Piratas
Mochileros Burriers Correcaminos Ninjas Tuercas Rucos Wachiturros Pepes Chinos Gordos Flacos""".split()
COMPANY_HEADS = ["Inversiones", "Agroexportadora", "Transportes", "Comercializadora", "Constructora", "Minera",
                 "Servicios Generales", "Importaciones", "Corporación", "Grupo", "Negociaciones", "Consorcio",
                 "Inmobiliaria", "Agropecuaria", "Distribuidora", "Logística", "Pesquera", "Maderera"]
COMPANY_NAMES = ["Valle Verde", "del Sur", "Andina", "San Martín", "Los Andes", "Amazónica", "Pacífico",
                 "Santa Rosa", "El Dorado", "Huallaga", "Norte Chico", "Virgen del Carmen", "Señor de Luren",
                 "Tres Hermanos", "Mi Perú", "Real", "Continental", "Oriente", "Costa Azul", "Inca", "Kallpa",
                 "Chavín", "Wari", "Tahuantinsuyo", "Miski", "Illari", "Sumaq", "Puerto Nuevo", "Los Jazmines"]
COMPANY_FORMS = ["S.A.C.", "E.I.R.L.", "S.A.", "S.R.L."]
LAW_NUMBERS = {
    "Decreto Legislativo": [1106, 1104, 957, 635, 1373, 1241, 1126, 1107, 1249, 1611, 1182, 1338, 1351, 1453],
    "Ley": [30077, 27765, 30424, 28950, 30737, 27378, 29733, 30096, 28122, 27693, 29038, 30835, 31307],
}
CODE_ARTICLES = {
    "CP": [296, 297, 298, 299, 300, 317, 318, 384, 393, 400, 401, 152, 153, 108, 106, 186, 188, 189, 45,
           46, 57, 92, 102],
    "CPP": [268, 269, 270, 271, 272, 273, 230, 231, 341, 473, 474, 475, 334, 336, 349, 155, 158, 159, 202, 203],
}
DECRETOS_SUPREMOS = ["004-2017-JUS", "007-2017-JUS", "020-2017-JUS", "018-2017-JUS", "003-2018-IN", "010-2019-IN"]
PLENARIOS = ["3-2010/CJ-116", "7-2011/CJ-116", "1-2017/CIJ-433", "2-2016/CIJ-116", "1-2019/CIJ-116",
             "3-2008/CJ-116", "4-2015/CIJ-116", "5-2010/CJ-116", "1-2011/CJ-116", "2-2012/CJ-116"]
CASE_DISTRICTS = ["Lima", "Callao", "Huánuco", "Junín", "Piura", "Tumbes", "Cusco", "Puno", "Ayacucho", "Loreto",
                  "Ucayali", "Arequipa", "Lambayeque", "La Libertad", "Moquegua", "Tacna", "San Martín", "Ica"]
MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "setiembre", "octubre",
          "noviembre", "diciembre"]


ENGLISH_ALIAS = re.compile(r"\b(of|the|Court|Chamber|Police|Office|Prosecutor|Supreme|cocaine|coca leaf|leaves|"
                            r"paste|hydrochloride|heroin|opium|poppy|ecstasy|methamphetamine|amphetamine|acid|"
                            r"sulfuric|potassium|sodium|calcium|ether|ammonia|chloride|acetate|anhydride|base)\b",
                            re.I)
