"""Text of the sample corpus rendered by :mod:`samples.corpus`.

Every document here is FICTITIOUS. It was written for testing the search
system: the people, DNI numbers, RUC numbers, case numbers, companies,
addresses and facts are invented, and any resemblance to real persons or
proceedings is coincidental. Laws, institutions and plenary agreements are
cited because real documents cite them, not to describe their real content
with authority.

Markup understood by the renderer:

* a block starting with ``"## "`` is a heading;
* a block starting with ``"• "`` is a bullet item;
* a soft hyphen (``"\\u00ad"``) inside a word marks where it may be broken
  across two lines with a visible ``-`` (used to reproduce a word hyphenated
  at the end of a line, as in printed manuals); if the word fits on the
  line the soft hyphen is simply dropped;
* any other block is a normal paragraph.
"""

from __future__ import annotations

DOCUMENTS: list[dict] = [
    # ------------------------------------------------------------------
    # 1. Case file: requerimiento de prisión preventiva (FECOR)
    # ------------------------------------------------------------------
    {
        "filename": "01_requerimiento_prision_preventiva_fecor.pdf",
        "title": "Requerimiento de prisión preventiva – Organización criminal «Los Topos de la Chalaca»",
        "author": "Segunda Fiscalía Supraprovincial Corporativa Especializada contra la Criminalidad Organizada (FECOR)",
        "subject": "Carpeta fiscal ficticia de prueba: tráfico ilícito de drogas, organización criminal y lavado de activos",
        "language": "es",
        "header": "MINISTERIO PÚBLICO – FISCALÍA DE LA NACIÓN · FECOR",
        "pages": [
            [
                "Carpeta Fiscal N° 506015503-2017-45-0. Expediente N° 00123-2017-5-1826-JR-PE-03. "
                "Sumilla: requerimiento de prisión preventiva. Escrito N° 01.",
                "SEÑOR JUEZ DEL TERCER JUZGADO DE INVESTIGACIÓN PREPARATORIA NACIONAL:",
                "La Segunda Fiscalía Supraprovincial Corporativa Especializada contra la Criminalidad "
                "Organizada (FECOR), con domicilio procesal en la avenida Abancay N° 491, Cercado de Lima, "
                "representada por el fiscal provincial que suscribe, en la investigación preparatoria "
                "formalizada contra la organización criminal denominada «Los Topos de la Chalaca», por la "
                "presunta comisión de los delitos de tráfico ilícito de drogas, organización criminal y "
                "lavado de activos, en agravio del Estado peruano, se presenta ante su despacho y dice:",
                "## I. Petitorio",
                "Al amparo de los artículos 268, 269, 270 y 272, numeral 3, del Código Procesal Penal, "
                "requerimos que se dicte mandato de prisión preventiva por el plazo de treinta y seis meses "
                "contra las siguientes personas investigadas:",
                "• Wilmer Aurelio Quispe Huamán, alias «el Tío», identificado con DNI N° 43817265, de "
                "cuarenta y seis años de edad, natural de Tingo María (Huánuco), a quien se atribuye la "
                "condición de cabecilla de la organización.",
                "• Rosa Elvira Cárdenas Villanueva, identificada con DNI N° 40592718, gerente general de "
                "la empresa Agroexportadora Valle Verde S.A.C. (RUC N° 20601234567), a quien se atribuye "
                "la condición de testaferro y responsable financiera.",
                "• Jhonatan Paúl Salazar Ñañez, alias «Chato», identificado con DNI N° 72036481, "
                "estibador del terminal portuario del Callao, encargado de la contaminación de los "
                "contenedores.",
                "• Édgar Martín Ruiz Espinoza, identificado con DNI N° 09874132, agente de aduanas, "
                "encargado de la documentación de exportación.",
                "## II. Antecedentes",
                "La investigación se inició el 3 de marzo del año 2017, a partir de una nota de "
                "inteligencia de la Dirección Antidrogas de la Policía Nacional del Perú (DIRANDRO), que "
                "daba cuenta de una red dedicada al acopio de clorhidrato de cocaína procedente del valle "
                "de los ríos Apurímac, Ene y Mantaro (VRAEM), a su traslado por la carretera Central "
                "hacia Lima y a su envío a Europa oculto en cargamentos de fruta fresca. Por disposición "
                "fiscal se autorizaron técnicas especiales de investigación, entre ellas la "
                "interceptación de comunicaciones, la videovigilancia y el seguimiento de los "
                "investigados, cuyos resultados se detallan en el presente requerimiento.",
            ],
            [
                "## III. Hechos imputados",
                "Según la tesis fiscal, desde enero del año 2016 hasta octubre del año 2017 la "
                "organización criminal «Los Topos de la Chalaca» acopió droga producida en laboratorios "
                "clandestinos ubicados en el distrito de Pichari (VRAEM). La droga era trasladada en "
                "camiones de carga con compartimentos acondicionados en la tolva hasta un almacén "
                "situado en la provincia de Leoncio Prado, Huánuco, y desde allí hasta un inmueble de la "
                "urbanización Santa Rosa, en el Callao, donde se preparaban los paquetes tipo ladrillo "
                "con el logotipo de un escorpión.",
                "El 24 de octubre de 2017, personal de la DIRANDRO, con participación del representante "
                "del Ministerio Público y de la Superintendencia Nacional de Aduanas y de Administración "
                "Tributaria (SUNAT), intervino el contenedor refrigerado MSKU 482915-3, declarado como "
                "carga de mango fresco de la empresa Agroexportadora Valle Verde S.A.C. y con destino al "
                "puerto de Amberes, Reino de Bélgica. En el interior de cuarenta y dos cajas se halló un "
                "total de 1 046 paquetes que contenían una sustancia blanquecina que, sometida a la "
                "prueba de campo y luego al peritaje químico N° 4512-2017, resultó ser clorhidrato de "
                "cocaína con un peso neto de 1 126.450 kg y un grado de pureza del 91 %.",
                "En la misma fecha se ejecutaron once allanamientos con descerraje en Lima, el Callao y "
                "Huánuco. En el inmueble de la calle Los Cedros N° 258, Santiago de Surco, domicilio de "
                "la investigada Cárdenas Villanueva, se logró la incautación de dinero en efectivo por "
                "la suma de S/ 1 250 000.00 (un millón doscientos cincuenta mil con 00/100 soles) y "
                "US$ 380 000.00, distribuidos en bolsas de polietileno, así como de tres libretas con "
                "anotaciones contables y nombres en clave. En el almacén de Tingo María se encontraron "
                "una prensa hidráulica, una balanza electrónica, 240 litros de kerosene y 85 kg de "
                "carbonato de sodio, insumos químicos fiscalizados empleados en la producción de droga.",
                "Las comunicaciones interceptadas revelan que el investigado Quispe Huamán impartía "
                "instrucciones sobre las fechas de embarque, que el investigado Salazar Ñañez coordinaba "
                "con otros estibadores la técnica conocida como «gancho ciego» (rip-on/rip-off) y que el "
                "investigado Ruiz Espinoza tramitaba las declaraciones aduaneras con certificados "
                "fitosanitarios obtenidos de forma irregular.",
            ],
            [
                "## IV. Fundados y graves elementos de convicción",
                "Conforme al artículo 268, literal a), del Código Procesal Penal, existen elementos de "
                "convicción que, con un alto grado de probabilidad, vinculan a los investigados con los "
                "hechos. Entre ellos destacan: (1) el acta de intervención, registro e incautación del "
                "contenedor MSKU 482915-3; (2) el dictamen pericial de química forense N° 4512-2017; "
                "(3) las transcripciones de 1 312 comunicaciones interceptadas con autorización "
                "judicial; (4) el informe de la Unidad de Inteligencia Financiera del Perú (UIF-Perú), "
                "que identifica depósitos fraccionados por un total de S/ 3 870 415.00 en las cuentas de "
                "la empresa exportadora sin sustento en operaciones comerciales reales; (5) la "
                "declaración del colaborador eficaz con clave CE-17-2017; y (6) los registros migratorios "
                "que acreditan viajes frecuentes del investigado Quispe Huamán a Santa Cruz de la "
                "Sierra, Bolivia.",
                "## V. Calificación jurídica",
                "Los hechos se subsumen, en primer término, en el delito de tráfico ilícito de drogas "
                "previsto en el primer párrafo del artículo 296 del Código Penal, con la agravante del "
                "artículo 297, inciso 6, por haberse cometido por tres o más personas, y la del inciso 7, "
                "por superar la cantidad de droga el umbral de veinte kilogramos de clorhidrato de "
                "cocaína. En segundo término, configuran el delito de organización criminal del "
                "artículo 317 del Código Penal, en concordancia con el artículo 2 de la Ley N° 30077, "
                "Ley contra el Crimen Organizado, pues existe una estructura permanente, con reparto de "
                "roles y con vocación de continuidad, destinada a cometer delitos graves.",
                "Respecto de la investigada Cárdenas Villanueva, los actos de conversión y "
                "transferencia del dinero ilícito a través de la empresa Agroexportadora Valle Verde "
                "S.A.C. se adecúan a los artículos 1 y 2 del Decreto Legislativo N.° 1106, Decreto "
                "Legislativo de lucha eficaz contra el lavado de activos y otros delitos relacionados a "
                "la minería ilegal y crimen organizado, con la agravante del artículo 4, por tratarse de "
                "dinero proveniente del tráfico ilícito de drogas.",
                "## VI. Prognosis de pena",
                "La pena conminada para el tipo agravado del artículo 297 del Código Penal es no menor de "
                "quince ni mayor de veinticinco años de pena privativa de libertad, que en el caso del "
                "cabecilla se incrementa por aplicación del artículo 22 de la Ley N° 30077. No "
                "concurren circunstancias atenuantes privilegiadas, por lo que la pena concreta "
                "superará con holgura el umbral de cinco años exigido por el literal b) del artículo 268.",
            ],
            [
                "## VII. Peligro procesal",
                "Existe peligro de fuga. El investigado Quispe Huamán carece de arraigo laboral "
                "acreditado, registra dos domicilios distintos en la ficha del Registro Nacional de "
                "Identificación y Estado Civil y mantiene contactos en Bolivia y en Brasil que le "
                "facilitarían abandonar el país. La gravedad de la pena esperada y su posición de "
                "liderazgo dentro de la organización incrementan el riesgo de que se sustraiga de la "
                "acción de la justicia. Los investigados Salazar Ñañez y Ruiz Espinoza, por su parte, "
                "conocen la logística portuaria y la forma de eludir los controles fronterizos.",
                "Existe, además, peligro de obstaculización. Las comunicaciones interceptadas "
                "evidencian que, tras la intervención del contenedor, la investigada Cárdenas Villanueva "
                "ordenó destruir documentos contables y cambiar los chips de los teléfonos móviles, y "
                "que se intentó contactar a un testigo protegido para que modificara su versión.",
                "## VIII. Proporcionalidad y duración de la medida",
                "Siguiendo la Casación N° 626-2013/Moquegua, la medida es idónea porque asegura la "
                "presencia de los investigados en el proceso; es necesaria porque la comparecencia con "
                "restricciones o el impedimento de salida no neutralizarían el riesgo advertido; y es "
                "proporcional en sentido estricto frente a la gravedad de los hechos y al daño causado "
                "a la salud pública. El plazo de treinta y seis meses se justifica por la complejidad "
                "de la causa: pluralidad de investigados, ramificaciones internacionales, pericias "
                "contables pendientes y cartas rogatorias dirigidas al Reino de Bélgica y al Estado "
                "Plurinacional de Bolivia.",
                "## IX. Medios de prueba que se adjuntan",
                "Se acompañan, en copia certificada, el acta de intervención del 24 de octubre de 2017, "
                "el dictamen pericial químico, el informe de la UIF-Perú, el informe policial N° "
                "215-2017-DIRANDRO-PNP/DIVINEI, las actas de allanamiento y el acta de colaboración "
                "eficaz en su versión reservada.",
                "POR LO EXPUESTO: solicitamos a su despacho programar la audiencia correspondiente y, en "
                "su oportunidad, declarar fundado el presente requerimiento de prisión preventiva.",
                "Callao, 27 de octubre de 2017.",
                "Fiscal Provincial Titular – FECOR. Documento ficticio elaborado para pruebas del "
                "sistema de búsqueda.",
            ],
        ],
    },
    # ------------------------------------------------------------------
    # 2. Corte Suprema ruling on lavado de activos
    # ------------------------------------------------------------------
    {
        "filename": "02_casacion_1234_2018_lima_lavado_activos.pdf",
        "title": "Casación N° 1234-2018/Lima – Lavado de activos y prueba del origen ilícito",
        "author": "Corte Suprema de Justicia de la República – Sala Penal Permanente",
        "subject": "Sentencia ficticia de prueba sobre lavado de activos y autonomía del delito",
        "language": "es",
        "header": "CORTE SUPREMA DE JUSTICIA DE LA REPÚBLICA · SALA PENAL PERMANENTE",
        "pages": [
            [
                "SENTENCIA DE CASACIÓN. Casación N° 1234-2018/Lima. Ponente: juez supremo de la Sala "
                "Penal Permanente. Lima, catorce de mayo de dos mil diecinueve.",
                "Sumilla: El delito de lavado de activos es autónomo. Para condenar no se requiere que "
                "el delito previo haya sido investigado, procesado o sentenciado; basta que el origen "
                "delictivo de los activos se acredite, incluso mediante prueba indiciaria, más allá de "
                "toda duda razonable.",
                "VISTOS: en audiencia pública, el recurso de casación interpuesto por la defensa del "
                "sentenciado Marco Antonio Villena Rojas contra la sentencia de vista de fecha 9 de julio "
                "de 2018, emitida por la Primera Sala Penal de Apelaciones de la Corte Superior de "
                "Justicia de Lima, que confirmó la de primera instancia que lo condenó como autor del "
                "delito de lavado de activos en la modalidad de actos de conversión y transferencia, en "
                "agravio del Estado, a doce años de pena privativa de libertad, y fijó en "
                "S/ 500 000.00 el monto de la reparación civil.",
                "## I. Antecedentes",
                "Primero. Según la acusación fiscal, entre los años 2011 y 2014 el acusado adquirió "
                "cuatro inmuebles en los distritos de La Molina y Punta Hermosa, dos embarcaciones "
                "pesqueras en el puerto de Chimbote y seis vehículos de alta gama, por un valor total "
                "de S/ 6 480 000.00, sin que sus ingresos declarados ante la SUNAT, que no superaron los "
                "S/ 96 000.00 anuales, justificaran tal patrimonio. Los bienes se registraron a nombre "
                "de familiares y de dos personas jurídicas constituidas en la misma fecha y con el "
                "mismo capital social.",
                "Segundo. El Ministerio Público sostuvo que los fondos provenían del tráfico ilícito de "
                "drogas, pues el acusado mantenía vínculos acreditados con una organización dedicada al "
                "envío de clorhidrato de cocaína por vía marítima desde el Callao, cuyos integrantes "
                "fueron condenados en un proceso distinto. Invocó los artículos 1, 2 y 10 del D.L. N° "
                "1106 y la Sentencia Plenaria Casatoria N° 1-2017/CIJ-433.",
                "Tercero. La defensa alegó, en su recurso, infracción de precepto material y vulneración "
                "de la garantía de motivación, por cuanto, a su juicio, no se identificó con precisión "
                "el delito fuente ni se acreditó su vinculación directa con los bienes cuestionados.",
            ],
            [
                "## II. Fundamentos de derecho",
                "Cuarto. El artículo 10 del Decreto Legislativo 1106 establece que el lavado de activos "
                "es un delito autónomo, por lo que para su investigación y procesamiento no es "
                "necesario que las actividades criminales que produjeron el dinero, los bienes, "
                "efectos o ganancias hayan sido descubiertas, se encuentren sometidas a investigación, "
                "proceso judicial o hayan sido previamente objeto de prueba o de sentencia "
                "condenatoria. El conocimiento del origen ilícito, añade la norma, puede inferirse de "
                "los indicios concurrentes en cada caso.",
                "Quinto. Este Supremo Tribunal, desde el Acuerdo Plenario N° 3-2010/CJ-116, ha precisado "
                "que el delito previo es un elemento normativo del tipo y que no se exige su prueba "
                "acabada, sino que basta la acreditación de una actividad criminal previa de modo "
                "genérico, sin necesidad de identificar las concretas operaciones delictivas. El mismo "
                "acuerdo enumeró indicios de especial relevancia: el incremento inusual del patrimonio, "
                "el manejo de cantidades de dinero en efectivo que por su elevada cuantía, dinámica de "
                "las transmisiones o utilización de testaferros resulten anómalas, la inexistencia de "
                "negocios lícitos que justifiquen el patrimonio y la vinculación con actividades "
                "delictivas o con personas o grupos relacionados con ellas.",
                "Sexto. La Sentencia Plenaria Casatoria N° 1-2017/CIJ-433 reafirmó la autonomía del "
                "delito y fijó que el estándar probatorio para condenar es el de la prueba más allá de "
                "toda duda razonable, mientras que para formalizar la investigación basta la sospecha "
                "reveladora y para acusar, la sospecha suficiente. La actividad criminal previa debe "
                "ser idónea para generar ganancias ilegales; el tráfico ilícito de drogas lo es de modo "
                "paradigmático.",
                "Séptimo. En el caso de autos, el tribunal de apelación valoró de manera conjunta los "
                "siguientes indicios: (i) el desbalance patrimonial de S/ 6 384 000.00 determinado por "
                "la pericia contable oficial, no desvirtuado por la pericia de parte; (ii) la "
                "interposición de testaferros y de empresas sin actividad comercial real; (iii) los "
                "depósitos en efectivo fraccionados por montos inferiores al umbral de registro, "
                "reportados como operaciones sospechosas por la UIF-Perú; y (iv) la relación del "
                "acusado con integrantes de la organización condenada, acreditada mediante registros "
                "telefónicos, viajes conjuntos y la titularidad compartida de una embarcación.",
                "Octavo. Dichos indicios son plurales, concordantes, convergentes y no han sido "
                "desvirtuados por contraindicios consistentes. La inferencia del tribunal de mérito, "
                "que concluyó que los activos tenían origen en el tráfico ilícito de drogas, respeta las "
                "reglas de la lógica, la ciencia y las máximas de la experiencia.",
            ],
            [
                "Noveno. No resulta atendible el argumento de la defensa según el cual la condena exige "
                "identificar el cargamento de droga concreto del que provino cada sol invertido. Tal "
                "exigencia contradice el texto expreso del D. Leg. 1106 y la doctrina legal vinculante "
                "antes citada, y convertiría el lavado de activos en un delito de imposible prueba "
                "frente a organizaciones que, precisamente, se estructuran para disociar el dinero de "
                "su origen. Tampoco se advierte falta de motivación: la sentencia de vista responde a "
                "cada agravio y explica por qué la versión del acusado, que atribuyó su patrimonio a "
                "préstamos familiares y a la venta informal de pescado, carece de respaldo documental.",
                "Décimo. Sí corresponde, en cambio, corregir de oficio un extremo. El tribunal de "
                "apelación aplicó la agravante del último párrafo del artículo 4 del Decreto "
                "Legislativo N° 1106 sin que el Ministerio Público la hubiera invocado en la acusación "
                "escrita ni en la audiencia de control, lo que vulneró el principio acusatorio y el "
                "derecho de defensa. En consecuencia, la pena debe determinarse dentro del marco del "
                "tipo agravado por el origen en el tráfico ilícito de drogas, expresamente imputado, y "
                "quedar fijada en diez años de pena privativa de libertad.",
                "## III. Decisión",
                "Por estos fundamentos, los señores jueces supremos integrantes de la Sala Penal "
                "Permanente de la Corte Suprema de Justicia de la República:",
                "I. DECLARARON INFUNDADO el recurso de casación interpuesto por la defensa de Marco "
                "Antonio Villena Rojas en cuanto a la responsabilidad penal; en consecuencia, NO CASARON "
                "la sentencia de vista en el extremo que lo condenó como autor del delito de lavado de "
                "activos en agravio del Estado.",
                "II. DECLARARON FUNDADO en parte el recurso en el extremo de la pena; CASARON la "
                "sentencia de vista en ese punto y, actuando en sede de instancia, le IMPUSIERON diez "
                "años de pena privativa de libertad, que se computarán desde la fecha de su detención.",
                "III. CONFIRMARON el decomiso de los inmuebles, embarcaciones y vehículos descritos en "
                "la acusación y el pago de S/ 500 000.00 por concepto de reparación civil.",
                "IV. DISPUSIERON que la presente sentencia se lea en audiencia pública, se notifique a "
                "las partes y se publique en la página web del Poder Judicial; y los devolvieron.",
                "Documento ficticio elaborado para pruebas del sistema de búsqueda; no corresponde a "
                "ninguna resolución judicial real.",
            ],
        ],
    },
    # ------------------------------------------------------------------
    # 3. Training manual: técnicas especiales de investigación
    # ------------------------------------------------------------------
    {
        "filename": "03_manual_tecnicas_especiales_investigacion.pdf",
        "title": "Manual de técnicas especiales de investigación en casos de criminalidad organizada",
        "author": "Escuela del Ministerio Público – Programa de capacitación (material de prueba)",
        "subject": "Manual de capacitación ficticio: agente encubierto, entrega vigilada e interceptación",
        "language": "es",
        "header": "Manual de técnicas especiales de investigación – Módulo II",
        "pages": [
            [
                "Módulo II. Dirigido a fiscales, policías especializados y peritos que intervienen en "
                "investigaciones por tráfico ilícito de drogas, lavado de activos y otros delitos "
                "cometidos por organizaciones criminales.",
                "## Presentación",
                "Las organizaciones criminales dedicadas al tráfico ilícito de drogas actúan con "
                "compartimentación, disciplina interna y una notable capacidad para detectar la "
                "vigilancia policial. Frente a ellas, los medios tradicionales de investigación, como "
                "la declaración testimonial o la inspección, resultan muchas veces insuficientes. Las "
                "técnicas especiales de investigación permiten obtener información desde el interior "
                "de la estructura criminal, seguir el recorrido de la droga y del dinero y "
                "documentar las comunicaciones entre sus integrantes, siempre bajo control fiscal y, "
                "cuando la ley lo exige, con autorización judicial.",
                "Este manual ofrece pautas prácticas para planificar, ejecutar y documentar tres "
                "técnicas de uso frecuente: el agente encubierto, la circulación y entrega vigilada de "
                "bienes delictivos y la interceptación de las comunicaciones. Cada sección incluye los "
                "requisitos legales, los riesgos más comunes y recomendaciones para que la evidencia "
                "obtenida sea admitida en juicio.",
                "## 1. Marco normativo",
                "El Código Procesal Penal regula la circulación y entrega vigilada de bienes delictivos "
                "en su artículo 340 y el agente encubierto y el agente especial en el artículo 341. La "
                "intervención o interceptación de las comunicaciones se rige por los artículos 230 y "
                "231 del mismo código y por la Ley N° 27697, que otorga facultad al fiscal para "
                "solicitarla en casos excepcionales. La Ley N° 30077, Ley contra el Crimen Organizado, "
                "reconoce estas técnicas como herramientas propias de la investigación de "
                "organizaciones criminales y establece reglas sobre la reserva de la información y la "
                "valoración de los resultados.",
                "En el ámbito internacional, la Convención de las Naciones Unidas contra el Tráfico "
                "Ilícito de Estupefacientes y Sustancias Sicotrópicas de 1988 y la Convención de "
                "Palermo del año 2000 alientan a los Estados a utilizar la entrega vigilada y otras "
                "técnicas especiales, incluso de manera coordinada entre países, lo que resulta "
                "esencial en envíos de droga con destino a Europa, Centroamérica o Asia.",
            ],
            [
                "## 2. El agente encubierto",
                "El agente encubierto es un miembro de la Policía Nacional que, con identidad supuesta "
                "otorgada por disposición fiscal, se infiltra en la organización criminal para "
                "obtener información sobre su estructura, sus integrantes y sus actividades. A "
                "diferencia del informante, el agente encubierto es un funcionario público sujeto a "
                "deberes de reserva, a un plan operativo aprobado y a la supervisión permanente del "
                "fiscal a cargo.",
                "Requisitos. La disposición fiscal debe motivar la necesidad de la técnica, es decir, "
                "explicar por qué otros medios menos invasivos no permitirían alcanzar el objetivo. "
                "Debe indicar además la identidad supuesta, el plazo inicial, que no excederá de seis "
                "meses prorrogables, y los límites de la actuación. El agente no puede provocar el "
                "delito: su función es descubrir una actividad criminal preexistente y no crear la "
                "voluntad delictiva en quien no la tenía.",
                "Documentación. Toda la información obtenida se consigna en informes reservados que "
                "el agente entrega a su controlador policial, quien los remite al fiscal. Se recomienda "
                "que las reuniones del agente con los investigados se registren en audio o video con "
                "autorización judicial, pues la grabación fortalece la credibilidad de su testimonio "
                "y reduce el riesgo de que la defensa alegue provocación.",
                "Riesgos frecuentes. Los errores que con mayor frecuencia generan la exclusión de la "
                "prueba son: actuar antes de la emisión de la disposición fiscal, exceder el ámbito "
                "autorizado, participar en delitos distintos de los investigados y no dejar constancia "
                "de la cadena de custodia de los objetos entregados por los investigados, como muestras "
                "de droga o documentos falsificados.",
                "Protección del agente. La identidad real del agente se mantiene en reserva incluso "
                "después de concluida la operación. Cuando deba declarar en juicio, el fiscal solicitará "
                "las medidas de protección previstas para testigos, como la distorsión de la voz o la "
                "declaración por videoconferencia, sin que ello afecte el derecho de la defensa a "
                "interrogarlo.",
                "Caso práctico. En una investigación sobre envíos de cocaína por el aeropuerto "
                "internacional Jorge Chávez, un agente encubierto se presentó como transportista "
                "dispuesto a reclutar «burriers». Durante cuatro meses documentó las reuniones de "
                "captación, lo que permitió identificar al financista y al responsable de la ingesta "
                "de cápsulas.",
            ],
            [
                "## 3. La circulación y entrega vigilada",
                "La entrega vigilada consiste en permitir que remesas ilícitas o sospechosas de droga, "
                "insumos químicos fiscalizados, dinero o bienes delictivos circulen por el territorio "
                "nacional, salgan de él o entren en él bajo la vigilancia de las autoridades, con el "
                "propósito de identificar a las personas involucradas en su comisión. La técnica "
                "sustituye la intervención inmediata por una observación controlada que permite llegar "
                "a los destinatarios y a los organizadores, y no solo a los transportistas.",
                "Planificación. Antes de autorizar la entrega vigilada el fiscal debe evaluar: (a) si "
                "es posible mantener el control visual o electrónico de la remesa durante todo el "
                "trayecto; (b) si existe riesgo de pérdida de la droga; (c) si se requiere la "
                "sustitución total o parcial de la sustancia por otra inocua; y (d) qué autoridades "
                "extranjeras deben intervenir cuando el envío cruza fronteras. La coordinación con la "
                "SUNAT es indispensable cuando la remesa pasa por zonas primarias aduaneras.",
                "Sustitución de la sustancia. Siempre que sea posible, se recomienda sustituir la "
                "droga por una sustancia inocua de peso y apariencia similares, dejando una pequeña "
                "muestra para acreditar la naturaleza del envío. La diligencia de sustitución debe "
                "constar en acta, con la participación del fiscal, del perito químico y, de ser "
                "posible, con registro fílmico, para garantizar la cadena de custodia.",
                "Entrega vigilada internacional. Cuando la remesa tiene como destino otro país, la "
                "solicitud se canaliza a través de la autoridad central y de los oficiales de enlace "
                "antidrogas. Es necesario acordar por escrito quién tomará el control en cada tramo, "
                "qué ocurrirá si se pierde el seguimiento y cómo se compartirán las pruebas. La "
                "experiencia demuestra que los acuerdos informales generan controversias sobre la "
                "validez de la evidencia en el juicio oral.",
                "Indicadores de éxito. Una entrega vigilada bien ejecutada no se mide por la cantidad "
                "de droga incautada, sino por el nivel jerárquico de las personas identificadas, por "
                "la información financiera obtenida y por la posibilidad de desarticular la "
                "organización completa.",
            ],
            [
                "## 4. La interceptación de las comunicaciones",
                "La interceptación de las comunicaciones telefónicas, radiales o de otras formas de "
                "telecomunicación es, probablemente, la técnica que más información aporta en las "
                "investigaciones por tráfico ilícito de drogas. Por su carácter invasivo del derecho al "
                "secreto de las comunicaciones, exige autorización del juez de investigación "
                "preparatoria, a solicitud del fiscal, y procede solo cuando existen suficientes "
                "elementos de convicción sobre la comisión de un delito sancionado con pena superior "
                "a cuatro años y la medida resulta absolutamente necesaria para proseguir las "
                "investigaciones.",
                "Contenido de la solicitud. El requerimiento fiscal debe identificar el número "
                "telefónico o el medio de comunicación, el nombre del usuario o titular, si se conoce, "
                "el delito investigado, los hechos que justifican la medida y el plazo, que no podrá "
                "exceder de sesenta días, prorrogables por plazos sucesivos a solicitud motivada. Las "
                "empresas operadoras están obligadas a brindar el apoyo técnico inmediato y a guardar "
                "reserva.",
                "Ejecución y registro. La escucha se realiza en el sistema de interceptación de la "
                "Policía Nacional bajo supervisión fiscal. Cada sesión genera un archivo digital cuyo "
                "valor hash debe registrarse para garantizar su integridad. Las transcripciones se "
                "limitan a las comunicaciones relevantes para la investigación; las demás se conservan "
                "sin transcribir y se destruyen al concluir el proceso, salvo que el juez disponga otra "
                "cosa mediante resolución debidamente motivada y notificada al fiscal. La intercep\u00adtación de comunicaciones entre el investigado y su abogado "
                "defensor está prohibida y su contenido no puede ser utilizado.",
                "Análisis de la información. Las comunicaciones de las organizaciones criminales "
                "suelen emplear claves: «polos», «camisetas» o «libros» para referirse a los paquetes "
                "de droga; «el tío» o «el doctor» para aludir a los cabecillas; y «la fiesta» para el "
                "día del embarque. El analista debe elaborar un glosario de claves y vincular cada "
                "número telefónico con su usuario real mediante actos de corroboración, como "
                "vigilancias, registros de antenas o reconocimientos de voz.",
                "Control posterior. Concluida la medida, el fiscal debe poner en conocimiento del "
                "afectado la interceptación realizada, siempre que ello no ponga en peligro la vida de "
                "personas ni la continuidad de las investigaciones. El afectado puede instar el "
                "reexamen judicial de la medida dentro del plazo legal.",
            ],
            [
                "## 5. Cadena de custodia y recomendaciones finales",
                "Ninguna técnica especial produce resultados útiles si la evidencia obtenida se "
                "contamina, se pierde o no puede acreditarse su origen. La cadena de custodia comienza "
                "en el momento en que el agente encubierto recibe un objeto, en que se sustituye la "
                "droga en una entrega vigilada o en que se graba una comunicación interceptada. Cada "
                "transferencia debe quedar registrada en el formato oficial, con indicación de la "
                "fecha, la hora, el responsable y el estado del embalaje.",
                "Recomendaciones para el fiscal:",
                "• Emitir las disposiciones antes de iniciar cualquier actuación y motivar en ellas la "
                "necesidad, la idoneidad y la proporcionalidad de la técnica elegida.",
                "• Mantener un cuaderno reservado con toda la documentación de las técnicas especiales, "
                "separado de la carpeta fiscal principal, y controlar el acceso a él.",
                "• Combinar las técnicas: la interceptación orienta la vigilancia, la vigilancia "
                "permite planificar la entrega vigilada y el agente encubierto confirma la identidad "
                "de los interlocutores.",
                "• Coordinar desde el inicio con la Unidad de Inteligencia Financiera y con la "
                "procuraduría pública especializada, para seguir el rastro del dinero y preparar "
                "las medidas de incautación y de extinción de dominio.",
                "• Prever la protección de los agentes, colaboradores y testigos, cuya seguridad es "
                "prioritaria frente a cualquier resultado operativo.",
                "Ejercicio de evaluación. Los participantes, organizados en grupos, recibirán un caso "
                "simulado sobre el envío de clorhidrato de cocaína desde el VRAEM hacia el puerto del "
                "Callao. Deberán redactar la disposición de autorización de un agente encubierto, la "
                "solicitud de interceptación telefónica y el acta de sustitución de la droga en una "
                "entrega vigilada. Cada grupo expondrá sus documentos y el resto formulará "
                "observaciones como si se tratara de la defensa técnica en una audiencia de tutela de "
                "derechos.",
                "Bibliografía básica: Código Procesal Penal; Ley N° 30077; Ley N° 27697; Convención "
                "de las Naciones Unidas contra la Delincuencia Organizada Transnacional. Material "
                "ficticio de capacitación elaborado para pruebas del sistema de búsqueda.",
            ],
        ],
    },
    # ------------------------------------------------------------------
    # 4. Training manual: inteligencia en puertos y aeropuertos
    # ------------------------------------------------------------------
    {
        "filename": "04_manual_inteligencia_puertos_aeropuertos.pdf",
        "title": "Inteligencia en puertos y aeropuertos: control de insumos químicos fiscalizados",
        "author": "Programa de capacitación antidrogas – Curso para analistas (material de prueba)",
        "subject": "Manual de capacitación ficticio sobre perfiles de riesgo en puertos, aeropuertos e insumos químicos",
        "language": "es",
        "header": "Curso de inteligencia antidrogas – Puertos, aeropuertos e insumos químicos",
        "pages": [
            [
                "## Introducción",
                "Más del ochenta por ciento del comercio exterior del Perú se moviliza por vía "
                "marítima, y el terminal portuario del Callao concentra la mayor parte de los "
                "contenedores de exportación. Esa misma infraestructura es aprovechada por las "
                "organizaciones criminales para enviar clorhidrato de cocaína hacia Europa y Asia, "
                "oculta en productos agrícolas, minerales o manufacturas. De manera paralela, el "
                "aeropuerto internacional Jorge Chávez sigue siendo una vía para el envío de droga "
                "mediante pasajeros que la transportan adherida al cuerpo, en el equipaje o ingerida "
                "en cápsulas.",
                "El presente manual ofrece a los analistas de inteligencia de la Policía Nacional, de "
                "la SUNAT y del Ministerio Público un conjunto de herramientas para identificar "
                "cargamentos y pasajeros de alto riesgo, así como para detectar el desvío de insumos "
                "químicos fiscalizados hacia la producción ilícita de drogas.",
                "## 1. Ciclo de inteligencia aplicado a la frontera",
                "El trabajo de inteligencia sigue un ciclo de cuatro fases: planificación, obtención, "
                "análisis y difusión. En el entorno portuario, la fase de obtención se nutre de los "
                "manifiestos de carga, las declaraciones aduaneras, los registros de ingreso de "
                "personal al terminal, las imágenes de los escáneres de rayos X y la información "
                "compartida por agencias extranjeras. El análisis consiste en cruzar estas fuentes "
                "para construir perfiles de riesgo y priorizar las inspecciones físicas, que por su "
                "costo solo pueden aplicarse a una fracción mínima de los contenedores.",
                "Indicadores de riesgo en carga marítima. La experiencia operativa muestra que "
                "merecen atención especial los exportadores constituidos recientemente o sin "
                "historial de exportaciones; los cambios de ruta o de destino sin justificación "
                "comercial; los pagos de flete en efectivo; los productos de bajo valor enviados a "
                "destinos donde no existe demanda evidente; la coincidencia de domicilios fiscales "
                "entre empresas no relacionadas; y la contratación de agentes de aduanas que han "
                "intervenido en casos anteriores. Ninguno de estos indicadores es concluyente por "
                "sí mismo: su valor está en la combinación.",
            ],
            [
                "## 2. Modalidades de ocultamiento y contaminación",
                "La modalidad más extendida en el Callao es la contaminación del contenedor sin "
                "conocimiento del exportador, conocida como «gancho ciego» o rip-on/rip-off. La droga "
                "se introduce en bolsos deportivos inmediatamente después de la inspección, con el "
                "apoyo de trabajadores portuarios, y se replica el precinto de seguridad para que el "
                "contenedor parezca intacto. En el puerto de destino, otro grupo retira los bolsos "
                "antes de que la carga sea entregada a su comprador legítimo. El análisis de los "
                "números de precinto, de los tiempos de permanencia y de las imágenes de las cámaras "
                "del terminal es clave para detectar esta modalidad.",
                "Otras modalidades incluyen el ocultamiento en dobles fondos, en las paredes del "
                "equipo de refrigeración de los contenedores reefer, en la propia mercadería, por "
                "ejemplo impregnando la droga en carbón vegetal o en harina de pescado, y el uso de "
                "empresas de fachada que exportan exclusivamente para encubrir envíos de droga.",
                "## 3. Aeropuertos y pasajeros",
                "En el aeropuerto, los analistas trabajan con la información anticipada de pasajeros "
                "(API) y con el registro de nombres de pasajeros (PNR). Son indicadores de riesgo la "
                "compra del boleto en efectivo pocos días antes del vuelo, los itinerarios con escalas "
                "innecesarias, el equipaje escaso para estancias largas, los viajes repetidos de corta "
                "duración a destinos de riesgo y la falta de coherencia entre la ocupación declarada y "
                "el costo del viaje. El año pasado, más de la mitad de los «burriers» detenidos en el "
                "terminal aéreo eran personas en situación de vulnerabilidad económica captadas "
                "mediante redes sociales, lo que obliga a tratar estos casos con enfoque de trata de "
                "personas cuando corresponda.",
                "La carga aérea y los envíos postales también son utilizados para remitir pequeñas "
                "cantidades de droga de alta pureza, frecuentemente ocultas en artesanías, libros o "
                "prendas de vestir. El perfilamiento de remitentes y destinatarios y la cooperación con "
                "las empresas de mensajería son esenciales para su detección.",
                "Ejercicio. A partir de una lista de cincuenta declaraciones de exportación "
                "simuladas, el participante deberá seleccionar las cinco de mayor riesgo y "
                "fundamentar su elección con los indicadores estudiados.",
            ],
            [
                "## 4. Insumos químicos y productos fiscalizados",
                "La producción de pasta básica y de clorhidrato de cocaína requiere grandes cantidades "
                "de insumos químicos: kerosene, ácido sulfúrico, ácido clorhídrico, permanganato de "
                "potasio, acetona, carbonato de sodio, cal y solventes diversos. Por esa razón, la Ley "
                "N° 28305 y el Decreto Legislativo N° 1126 someten a control su producción, "
                "importación, comercialización, transporte y almacenamiento, y crean el Registro para "
                "el Control de Bienes Fiscalizados, a cargo de la SUNAT.",
                "Los usuarios inscritos en el registro deben reportar sus operaciones, y el transporte "
                "de insumos hacia zonas declaradas de régimen especial, como el VRAEM o el Alto "
                "Huallaga, está sujeto a rutas fiscales, horarios y controles obligatorios. El "
                "analista de inteligencia debe prestar atención a los siguientes indicadores de "
                "desvío:",
                "• compras que superan de manera sistemática las necesidades declaradas por el usuario;",
                "• usuarios cuyo domicilio o establecimiento no existe o no tiene capacidad de "
                "almacenamiento;",
                "• pagos en efectivo y fraccionados, o a través de terceros sin relación comercial;",
                "• vehículos que se desvían de la ruta fiscal o que permanecen detenidos durante "
                "horas en lugares no autorizados;",
                "• reportes de pérdida o robo de insumos que se repiten en el mismo usuario.",
                "Cooperación y decomiso. Cuando se detecta un desvío, la SUNAT puede disponer la "
                "incautación administrativa de los bienes y comunicar el hecho al Ministerio Público "
                "para la investigación del delito previsto en el artículo 296-B del Código Penal. La "
                "información de estos casos debe integrarse con la que poseen la DIRANDRO y la UIF-Perú, "
                "porque los proveedores de insumos forman parte de la cadena de valor de las "
                "organizaciones y sus pagos permiten rastrear a los financistas.",
                "## Conclusión",
                "La inteligencia en puertos, aeropuertos y mercados de insumos no sustituye a la "
                "investigación penal, pero la orienta. Un análisis riguroso, documentado y compartido "
                "entre instituciones permite convertir una incautación aislada en el punto de partida "
                "para desarticular una organización criminal completa. Material ficticio de "
                "capacitación elaborado para pruebas del sistema de búsqueda.",
            ],
        ],
    },
    # ------------------------------------------------------------------
    # 5. Police report: extinción de dominio
    # ------------------------------------------------------------------
    {
        "filename": "05_informe_policial_extincion_dominio.pdf",
        "title": "Informe policial N° 087-2020-DIRANDRO-PNP/DIVILA – Extinción de dominio",
        "author": "Policía Nacional del Perú – DIRANDRO – División de Investigación de Lavado de Activos",
        "subject": "Informe policial ficticio de prueba sobre bienes sujetos a extinción de dominio",
        "language": "es",
        "header": "POLICÍA NACIONAL DEL PERÚ · DIRANDRO · RESERVADO",
        "pages": [
            [
                "Informe policial N° 087-2020-DIRANDRO-PNP/DIVILA. Asunto: resultado de la "
                "investigación patrimonial sobre bienes vinculados a Teodoro Gamarra Ccori y "
                "familiares. Referencia: Disposición fiscal N° 02-2020 de la Fiscalía Provincial "
                "Transitoria de Extinción de Dominio de Lima. Lima, 18 de agosto de 2020.",
                "## I. Información",
                "Por disposición de la fiscalía de la referencia, personal de esta división realizó "
                "la indagación patrimonial de Teodoro Gamarra Ccori, identificado con DNI N° 41267093, "
                "condenado en el año 2016 por el delito de tráfico ilícito de drogas, así como de su "
                "cónyuge, Nélida Ñaupari Rojas, con DNI N° 42938105, y de sus dos hijos mayores de "
                "edad, con el objeto de identificar bienes que constituirían objeto, instrumento, "
                "efecto o ganancia de actividades ilícitas, conforme al Decreto Legislativo N° 1373, "
                "sobre extinción de dominio, y su reglamento.",
                "## II. Diligencias realizadas",
                "Se solicitó información a la Superintendencia Nacional de los Registros Públicos "
                "(SUNARP), a la Superintendencia Nacional de Aduanas y de Administración Tributaria "
                "(SUNAT), a la Unidad de Inteligencia Financiera del Perú (UIF-Perú) de la "
                "Superintendencia de Banca, Seguros y AFP, a las entidades del sistema financiero y a "
                "las municipalidades de Lima, Pucallpa y Aguaytía. Asimismo, se efectuaron "
                "verificaciones domiciliarias y vigilancias discretas sobre los inmuebles "
                "identificados.",
                "## III. Análisis",
                "Según la información de la SUNAT, Teodoro Gamarra Ccori declaró rentas de cuarta "
                "categoría por un promedio anual de S/ 18 400.00 entre los años 2010 y 2015, y su "
                "cónyuge registra un negocio de venta de abarrotes en el Régimen Único Simplificado, con "
                "ventas mensuales que no superan los S/ 5 000.00. Sin embargo, en el mismo periodo la "
                "familia adquirió los siguientes bienes: un inmueble de 1 200 m² en el jirón Tacna "
                "N° 614, Pucallpa, valorizado en S/ 1 150 000.00; un fundo de 48 hectáreas en el "
                "distrito de Padre Abad, Ucayali; dos camionetas 4x4 y un camión de carga; y un "
                "departamento en el distrito de Jesús María, Lima, adquirido al contado en el año 2015.",
                "El informe de inteligencia financiera remitido por la UIF-Perú da cuenta de catorce "
                "reportes de operaciones sospechosas vinculados a los investigados, principalmente "
                "depósitos en efectivo en agencias bancarias de Pucallpa y transferencias a cuentas de "
                "terceros sin relación comercial aparente.",
            ],
            [
                "El desbalance patrimonial determinado por el perito contable de esta unidad asciende "
                "a S/ 2 937 560.00, monto que no encuentra justificación en los ingresos lícitos "
                "declarados. Además, el fundo de Padre Abad colinda con una pista de aterrizaje "
                "clandestina destruida por la DIRANDRO en el año 2014 y, según vecinos de la zona, "
                "fue utilizado como centro de acopio de pasta básica de cocaína. Las camionetas "
                "fueron intervenidas en dos oportunidades en la carretera Federico Basadre "
                "transportando insumos químicos fiscalizados sin la documentación exigida.",
                "## IV. Bienes identificados",
                "• Inmueble del jirón Tacna N° 614, Pucallpa, partida registral N° 11023456, a nombre de "
                "Nélida Ñaupari Rojas; presunta ganancia de actividades ilícitas.",
                "• Fundo «San Martín de Porres», Padre Abad, partida N° 40015872; presunto instrumento "
                "del delito de tráfico ilícito de drogas.",
                "• Departamento en Jesús María, Lima, partida N° 13579246, a nombre del hijo mayor; "
                "presunto efecto de actos de lavado de activos.",
                "• Dos camionetas 4x4 de placas AHX-482 y BCR-917, y un camión de placa D3K-205; "
                "presuntos instrumentos del delito.",
                "• Saldos en tres cuentas de ahorro, por un total de S/ 214 830.00 y US$ 36 100.00.",
                "## V. Conclusiones",
                "Primera. Existen indicios suficientes de que los bienes descritos tienen origen o "
                "destino ilícito vinculado al tráfico ilícito de drogas y no se encuentra acreditado "
                "su origen lícito, por lo que se encuadrarían en los presupuestos del artículo 7 del "
                "Decreto Legislativo N° 1373.",
                "Segunda. La información de la SUNAT y de la UIF-Perú permite establecer un desbalance "
                "patrimonial de S/ 2 937 560.00 en el periodo analizado.",
                "## VI. Recomendaciones",
                "Se recomienda a la fiscalía evaluar la solicitud de medidas cautelares de incautación "
                "e inscripción registral sobre los bienes identificados, a fin de evitar su "
                "transferencia, y la remisión de copias a la Fiscalía Especializada en Delitos de "
                "Lavado de Activos para lo que corresponda. Se adjuntan los reportes registrales, el "
                "informe pericial contable, las actas de verificación y el álbum fotográfico.",
                "Es todo cuanto se informa. Firmado: mayor PNP, jefe del equipo de investigación. "
                "Documento ficticio elaborado para pruebas del sistema de búsqueda.",
            ],
        ],
    },
    # ------------------------------------------------------------------
    # 6. English training note: international cooperation / MLA
    # ------------------------------------------------------------------
    {
        "filename": "06_mla_money_laundering_training_note_en.pdf",
        "title": "International Cooperation in Money Laundering Cases: Mutual Legal Assistance Training Note",
        "author": "Regional Training Programme on Organized Crime (sample material)",
        "subject": "Fictitious training note on mutual legal assistance and money laundering, Peru",
        "language": "en",
        "header": "Training note · International cooperation against money laundering",
        "pages": [
            [
                "## 1. Purpose of this note",
                "Drug trafficking organizations operating from the Andean region rarely keep their "
                "proceeds in the country where the drugs are produced. Cocaine leaving the port of "
                "Callao or the Jorge Chávez international airport is paid for in Europe, North "
                "America or Asia, and the money returns through trade-based schemes, money "
                "remitters, shell companies and real estate purchases. A prosecutor in Lima who wants "
                "to prove money laundering and confiscate the assets will almost always need evidence "
                "held abroad. This note summarises the practical steps for requesting and providing "
                "mutual legal assistance (MLA) in such cases, with particular reference to Peru.",
                "## 2. Legal framework",
                "The main multilateral instruments are the 1988 United Nations Convention against "
                "Illicit Traffic in Narcotic Drugs and Psychotropic Substances, the 2000 United Nations "
                "Convention against Transnational Organized Crime (Palermo Convention), whose article "
                "18 contains a detailed MLA regime, and the 2003 United Nations Convention against "
                "Corruption. These treaties allow a State to use the convention itself as the legal "
                "basis for a request when no bilateral treaty exists. Regional instruments, such as "
                "the Inter-American Convention on Mutual Assistance in Criminal Matters, and bilateral "
                "treaties complement them.",
                "Domestically, Peru criminalises organized crime under Law 30077 (Ley contra el Crimen "
                "Organizado) and money laundering under Legislative Decree 1106, which treats "
                "laundering as an autonomous offence: the predicate offence need not have been "
                "prosecuted or proven by a final judgment. The Code of Criminal Procedure regulates "
                "international judicial cooperation, and the central authority for incoming and "
                "outgoing requests is the international cooperation unit of the Office of the "
                "Attorney General (Fiscalía de la Nación). Financial intelligence is exchanged "
                "separately, through the Egmont Group channel, by the Financial Intelligence Unit of "
                "Peru (UIF-Perú).",
                "Practitioners should remember that intelligence obtained through police or financial "
                "intelligence channels usually cannot be used as evidence in court without a formal "
                "MLA request. Informal contacts, however, are extremely useful to confirm that the "
                "evidence exists before the request is drafted.",
            ],
            [
                "## 3. Drafting an effective request",
                "Requests are often refused or delayed because they are vague, too broad or poorly "
                "translated. A good request is short, self-contained and written for a reader who "
                "knows nothing about the case. It should include:",
                "• the requesting authority, the case number and a contact person who speaks the "
                "language of the requested State;",
                "• a concise summary of the facts, explaining the link between the suspects, the "
                "predicate offence (for example, cocaine trafficking from the VRAEM region) and the "
                "assets sought;",
                "• the legal provisions of the offences under investigation, such as article 296 of "
                "the Peruvian Criminal Code, Law 30077 and articles 1 and 2 of Legislative Decree 1106;",
                "• a precise description of the assistance requested: bank account numbers, periods, "
                "company registration details, witness names and the questions to be asked;",
                "• the procedures to be followed so that the evidence is admissible, for instance "
                "certification of bank records or the presence of the defence at an examination;",
                "• the reasons for any urgency and any confidentiality requirements.",
                "## 4. Asset tracing, freezing and confiscation",
                "Freezing orders must be requested quickly, because laundered funds can be moved in "
                "hours. Where the requested State allows it, prosecutors should consider non-conviction "
                "based confiscation, which in Peru is regulated by the extinción de dominio regime. "
                "Asset sharing agreements should be discussed at an early stage, since they encourage "
                "cooperation and clarify how confiscated property will be distributed.",
                "## 5. Checklist for trainees",
                "Before sending a request, check that: the facts are understandable without the case "
                "file; dual criminality issues have been considered; the request has been translated "
                "by a qualified translator; the central authority has reviewed the format; and the "
                "informal channel has confirmed where the evidence is located. After sending it, "
                "follow up regularly and inform the requested State when the request is no longer "
                "needed.",
                "Exercise: using the fictitious case of a Callao fruit exporter whose containers were "
                "found to carry cocaine bound for Antwerp, draft a request to Belgium for bank records "
                "and for the testimony of the consignee. This document is fictitious training "
                "material produced to test a search system.",
            ],
        ],
    },
]
