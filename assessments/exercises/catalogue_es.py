"""The seed catalogue's Spanish: each exercise's name, load note and instructions (domain.md §8.5).

Written by hand from the English in catalogue.py, in plain neutral Spanish
addressed as "usted" (the register of the patient pages). Numbers, sides,
doses and every safety cue (stop if…, only once cleared…) say exactly what
the English says; a change to an English text in catalogue.py needs the same
change here. catalogue_sync and migration 0014 copy these into an exercise's
Spanish fields only while its English is still the catalogue's own, so a
clinic's edited English is never paired with a Spanish that no longer matches.

Pure data: no Django, no database.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SpanishText:
    name: str
    load_note: str
    instructions: str


SPANISH: dict[str, SpanishText] = {
    "BRIDGE": SpanishText(
        "Puente de glúteos",
        "Peso corporal; cuando le resulte fácil, agregue una banda por encima de las rodillas o un peso "
        "sobre la cadera.",
        "Acuéstese boca arriba con las rodillas dobladas y los pies apoyados, separados al ancho de la cadera. "
        "Apriete los glúteos y levante la cadera hasta que los hombros, la cadera y las rodillas formen una "
        "línea recta, sin arquear la parte baja de la espalda. "
        "Mantenga un segundo arriba y luego baje despacio.",
    ),
    "SL_BRIDGE": SpanishText(
        "Puente a una pierna",
        "Peso corporal; avance desde el puente de glúteos con las dos piernas.",
        "Colóquese como para el puente de glúteos y luego estire una pierna o lleve esa rodilla hacia el pecho. "
        "Empuje con el talón de la pierna doblada para levantar la cadera, con la pelvis nivelada para que "
        "ningún lado baje. "
        "Baje despacio y termine todas las repeticiones antes de cambiar de pierna.",
    ),
    "CLAM": SpanishText(
        "Almeja",
        "Peso corporal; para más carga, coloque una banda justo por encima de las rodillas.",
        "Acuéstese de lado con la cadera y las rodillas dobladas, los pies juntos y una cadera sobre la otra. "
        "Sin separar los pies, levante la rodilla de arriba como una concha que se abre, sin dejar que la "
        "cadera de arriba se vaya hacia atrás. "
        "Baje despacio y, cuando le resulte fácil, agregue una banda por encima de las rodillas.",
    ),
    "SL_ABD": SpanishText(
        "Abducción de cadera de lado (elevación de pierna acostado de lado)",
        "Peso corporal; tobillera con peso o banda cuando le resulte fácil.",
        "Acuéstese de lado con la rodilla de abajo doblada para mantener el equilibrio y la pierna de arriba "
        "estirada, en línea con el cuerpo. "
        "Levante la pierna de arriba hacia el techo, guiando con el talón y con los dedos del pie mirando "
        "hacia adelante, y luego bájela despacio. "
        "Mantenga una cadera sobre la otra y la pierna un poco por detrás del cuerpo, sin que se vaya hacia "
        "adelante.",
    ),
    "BAND_WALK": SpanishText(
        "Caminata lateral con banda (paso de cangrejo)",
        "Banda por encima de las rodillas; bájela a los tobillos para más carga.",
        "Coloque una banda alrededor de las piernas justo por encima de las rodillas, párese con los pies "
        "separados al ancho de la cadera y doble un poco la cadera y las rodillas. "
        "Dé pasos hacia el costado manteniendo la banda tensa, los dedos de los pies hacia adelante y la "
        "pelvis nivelada. "
        "Recorra la distancia hacia un lado y, al volver, guíe con la otra pierna.",
    ),
    "MONSTER_WALK": SpanishText(
        "Caminata de monstruo",
        "Banda por encima de las rodillas; bájela a los tobillos para más carga.",
        "Con una banda alrededor de las piernas por encima de las rodillas, siéntese hacia atrás en una "
        "media sentadilla poco profunda. "
        "Camine hacia adelante con pasos amplios en diagonal, manteniendo la banda tensa y las rodillas en "
        "línea con los dedos de los pies. "
        "Mantenga el tronco firme y no deje que las rodillas se vayan hacia adentro.",
    ),
    "SQUAT": SpanishText(
        "Sentadilla (con peso corporal y luego con peso)",
        "Primero con peso corporal; el terapeuta agrega una mancuerna o una barra cuando le resulte fácil.",
        "Párese con los pies más o menos al ancho de los hombros y las puntas de los pies un poco hacia afuera. "
        "Lleve la cadera hacia atrás y hacia abajo como si se sentara en una silla, con el pecho arriba y las "
        "rodillas sobre los dedos de los pies, y luego empuje con todo el pie para ponerse de pie. "
        "Baje solo hasta donde la cadera se sienta cómoda.",
    ),
    "DEEP_SQUAT": SpanishText(
        "Sentadilla profunda",
        "Peso corporal; sosténgase de un apoyo si lo necesita. Evítela si tiene pinzamiento o una rotura "
        "del labrum.",
        "Párese con los pies un poco más separados que el ancho de los hombros y baje la cadera por debajo "
        "de la altura de las rodillas, con los talones apoyados y el pecho arriba. "
        "Sosténgase de un apoyo si lo necesita y vuelva a subir empujando con todo el pie. "
        "No haga este ejercicio si le produce un pinchazo en la parte delantera de la cadera.",
    ),
    "SL_SQUAT": SpanishText(
        "Sentadilla a una pierna",
        "Peso corporal; al principio, sosténgase de un apoyo.",
        "Párese en una pierna cerca de una pared o una silla, con el otro pie apenas separado del piso. "
        "Doble la cadera y la rodilla de la pierna de apoyo para bajar despacio, con la rodilla en línea con "
        "el segundo dedo del pie y la pelvis nivelada, y luego vuelva a subir. "
        "Baje solo hasta donde pueda mantener esa alineación.",
    ),
    "STEP_DOWN": SpanishText(
        "Bajada de escalón",
        "Empiece en un escalón bajo y aumente la altura a medida que mejore el control.",
        "Párese en una pierna en el borde de un escalón bajo, con la otra pierna colgando por delante. "
        "Doble despacio la rodilla de apoyo para bajar el talón libre hasta que toque apenas el piso, con la "
        "rodilla sobre los dedos del pie y la cadera nivelada. "
        "Vuelva a subir empujando con la pierna de apoyo.",
    ),
    "SPLIT_SQUAT": SpanishText(
        "Sentadilla dividida",
        "Peso corporal y luego una mancuerna en cada mano.",
        "Párese con un paso largo, un pie adelante y el talón de atrás levantado. "
        "Baje en línea recta hasta que la rodilla de atrás casi toque el piso, con la rodilla de adelante "
        "sobre el tobillo y el tronco derecho, y luego suba empujando con el pie de adelante. "
        "Haga todas las repeticiones de un lado antes de cambiar.",
    ),
    "LUNGE": SpanishText(
        "Estocada",
        "Peso corporal y luego mancuernas. Mantenga una profundidad cómoda.",
        "De pie, dé un paso largo hacia adelante y baje la rodilla de atrás hacia el piso, con la rodilla de "
        "adelante sobre el tobillo. "
        "Empuje con el talón de adelante para volver a quedar de pie. "
        "Mantenga el tronco erguido y baje solo hasta donde la cadera se sienta cómoda.",
    ),
    "LUNGE_WALKING": SpanishText(
        "Estocada caminando",
        "Peso corporal; unas pocas suaves también sirven de calentamiento antes de correr.",
        "Dé un paso adelante hacia una estocada, luego suba con fuerza y pase la pierna de atrás directo hacia "
        "la siguiente estocada. "
        "Mantenga los pasos en línea, el tronco derecho y la rodilla de adelante sobre los dedos del pie. "
        "Hecho de forma suave, también es un buen calentamiento antes de correr.",
    ),
    "LUNGE_SLOW": SpanishText(
        "Estocada con bajada lenta",
        "Tarde 3–4 s en bajar; empiece cuando el dolor se haya calmado.",
        "Colóquese en posición de estocada y tarde de tres a cuatro segundos en bajar la rodilla de atrás "
        "hacia el piso. "
        "Vuelva a subir a velocidad normal, con el tronco derecho y la rodilla de adelante sobre los dedos "
        "del pie. "
        "La bajada lenta es lo que fortalece el tendón del flexor de la cadera, así que no la apure.",
    ),
    "STEP_UP": SpanishText(
        "Subida al escalón (de frente, de lado y hacia atrás)",
        "Primero un escalón bajo; para avanzar, aumente la altura o sostenga mancuernas.",
        "Apoye un pie en un escalón y empuje con ese talón para subir, con la rodilla en línea con los dedos "
        "del pie y la pelvis nivelada. "
        "Baje de nuevo despacio. "
        "A medida que le resulte más fácil, suba de frente, de lado y hacia atrás.",
    ),
    "SL_RDL": SpanishText(
        "Peso muerto a una pierna",
        "Peso corporal con un apoyo y luego una mancuerna en la mano contraria.",
        "Párese en una pierna con la rodilla apenas doblada, sosteniéndose de una pared o una silla si lo "
        "necesita. "
        "Inclínese hacia adelante desde la cadera y deje que la pierna libre se estire hacia atrás, con la "
        "espalda recta y la cadera alineada, hasta sentir un estiramiento detrás del muslo. "
        "Apriete el glúteo para volver a quedar de pie.",
    ),
    "HIP_THRUST": SpanishText(
        "Empuje de cadera (hasta una pierna)",
        "Peso corporal, luego un peso sobre la cadera y luego a una pierna.",
        "Siéntese en el piso con la parte alta de la espalda apoyada en un banco o un sofá, las rodillas "
        "dobladas y los pies apoyados. "
        "Empuje con los talones para levantar la cadera hasta que los muslos queden en línea con el cuerpo, "
        "apretando los glúteos sin arquear la espalda. "
        "Baje despacio; para avanzar, ponga un peso sobre la cadera o use una sola pierna.",
    ),
    "DEADLIFT": SpanishText(
        "Progresión de peso muerto",
        "Primero un peso muerto rumano ligero; el terapeuta aumenta la carga.",
        "Párese con los pies separados al ancho de la cadera, sosteniendo un peso delante de los muslos. "
        "Lleve la cadera hacia atrás y baje el peso a lo largo de las piernas con la espalda recta y las "
        "rodillas apenas dobladas, y luego empuje la cadera hacia adelante para quedar erguido. "
        "Su terapeuta aumentará el peso y cambiará la variante a medida que tenga más fuerza.",
    ),
    "SLIDERS": SpanishText(
        "Estocada con deslizador",
        "Un deslizador, una toalla o un plato de cartón sobre un piso liso.",
        "Párese con un pie sobre un deslizador o una toalla en un piso liso. "
        "Deslice ese pie hacia atrás hasta una estocada hacia atrás, doblando la rodilla de adelante y con el "
        "peso sobre el pie de adelante; luego traiga el pie de vuelta para quedar de pie. "
        "Mantenga la rodilla de adelante sobre los dedos del pie y muévase con suavidad.",
    ),
    "CALF_RAISE": SpanishText(
        "Elevación de talones (rodilla estirada y doblada)",
        "La dosis es para cada posición, rodilla estirada y rodilla doblada; agregue peso y luego hágalo a "
        "una pierna.",
        "Párese en el borde de un escalón sosteniéndose de un apoyo, suba en puntas de pie y luego baje "
        "despacio los talones por debajo del escalón. "
        "Haga sus series con las rodillas estiradas y luego lo mismo con las rodillas dobladas, para trabajar "
        "el músculo más profundo de la pantorrilla. "
        "Cuando le resulte fácil, sostenga un peso o use una sola pierna.",
    ),
    "NORDIC": SpanishText(
        "Curl nórdico de isquiotibiales",
        "Empiece con un recorrido pequeño; avance solo si no tiene dolor al día siguiente.",
        "Arrodíllese sobre una colchoneta blanda con los tobillos sujetos bajo un sofá pesado o por otra "
        "persona. "
        "Con el cuerpo recto desde las rodillas hasta la cabeza, inclínese hacia adelante lo más despacio que "
        "pueda mientras los isquiotibiales frenan el movimiento, y apóyese con las manos. "
        "Vuelva a subir empujando con las manos y, al principio, mantenga un recorrido pequeño.",
    ),
    "SLED": SpanishText(
        "Empuje y arrastre de trineo",
        "Trineo de gimnasio; empiece con poco peso.",
        "Inclínese sobre un trineo con peso, con los brazos estirados, y empújelo hacia adelante con pasos "
        "cortos y fuertes, manteniendo el tronco en línea recta. "
        "Para arrastrarlo, póngase de frente al trineo sosteniendo sus correas y camine hacia atrás con pasos "
        "cortos. "
        "Empiece con poco peso y deténgase si el dolor de cadera aumenta.",
    ),
    "PLANK": SpanishText(
        "Plancha",
        "Al principio, desde las rodillas si lo necesita; avance aumentando el tiempo.",
        "Apóyese en los antebrazos y las puntas de los pies, con los codos debajo de los hombros. "
        "Contraiga el abdomen y apriete los glúteos para que el cuerpo forme una línea recta de la cabeza a "
        "los talones, sin que la cadera se hunda ni se levante. "
        "Respire con normalidad y apoye las rodillas si no puede mantener la línea.",
    ),
    "SIDE_PLANK": SpanishText(
        "Plancha lateral",
        "Con las rodillas dobladas es más fácil; con un pie sobre el otro, para avanzar.",
        "Acuéstese de lado con el codo debajo del hombro y las piernas estiradas. "
        "Levante la cadera para que el cuerpo forme una línea recta de la cabeza a los pies, y mantenga sin "
        "dejar que la cadera baje o gire. "
        "Doble las rodillas para hacerlo más fácil.",
    ),
    "BIRD_DOG": SpanishText(
        "Perro de caza (bird dog)",
        "Peso corporal; lento y controlado.",
        "Apóyese en manos y rodillas, con las manos debajo de los hombros y las rodillas debajo de la cadera. "
        "Estire despacio un brazo hacia adelante y la pierna contraria hacia atrás hasta que queden a la "
        "altura del cuerpo, con la espalda recta y la cadera nivelada. "
        "Mantenga un momento, vuelva y cambie de lado.",
    ),
    "ANTI_ROT": SpanishText(
        "Press Pallof (press antirrotación)",
        "Banda o polea ligera; aumente la tensión a medida que mejore el control.",
        "Párese de costado a una banda o polea fijada a la altura del pecho, sosteniendo el agarre contra el "
        "pecho con las dos manos. "
        "Lleve las manos rectas hacia adelante y mantenga un momento, resistiendo el tirón para que el tronco "
        "y la cadera no giren. "
        "Vuelva a llevar las manos al pecho con control.",
    ),
    "SL_BALANCE": SpanishText(
        "Equilibrio en una pierna (apoyo unipodal)",
        "Con los ojos abiertos y luego con los ojos cerrados o sobre un cojín.",
        "Párese en una pierna cerca de una pared o un mostrador, con el otro pie apenas separado del piso. "
        "Mantenga la pelvis nivelada y la rodilla apenas doblada y en línea con los dedos del pie, y quédese "
        "estable. "
        "Hágalo más difícil cerrando los ojos o parándose sobre un cojín cuando su terapeuta se lo indique.",
    ),
    "PLYO": SpanishText(
        "Saltos, zancadas saltadas y sentadillas con salto (pliometría)",
        "Dosis en contactos del pie por sesión, empezando con pocos; solo cuando le hayan autorizado el "
        "impacto.",
        "Empiece estos ejercicios solo cuando su terapeuta le haya autorizado el impacto. "
        "Comience con saltos pequeños con los dos pies en el lugar y luego avance a sentadillas con salto, "
        "zancadas saltadas y saltos en una pierna, aterrizando suave con las rodillas sobre los dedos de los "
        "pies. "
        "Cuente los contactos del pie y deténgase si siente dolor en la cadera.",
    ),
    "HILL_SPRINT": SpanishText(
        "Sprints en subida",
        "Baje caminando para recuperarse; solo en la etapa de cuestas de la vuelta a correr.",
        "Haga estos ejercicios solo cuando su terapeuta le haya autorizado las cuestas en su vuelta a correr. "
        "Caliente bien y luego corra cuesta arriba rápido pero relajado durante la distancia indicada, y baje "
        "caminando para recuperarse. "
        "Deténgase si siente dolor de cadera.",
    ),
    "STR_HIP_FLEX": SpanishText(
        "Estiramiento del flexor de la cadera",
        "Mantenga hasta 60 s, idealmente después de correr.",
        "Arrodíllese con una rodilla sobre un cojín y el otro pie apoyado delante de usted. "
        "Meta la cola hacia adentro y lleve la cadera suavemente hacia adelante hasta sentir un estiramiento "
        "en la parte delantera de la cadera de la pierna arrodillada, sin arquear la parte baja de la espalda. "
        "Mantenga y respire despacio.",
    ),
    "STR_PIRI": SpanishText(
        "Estiramiento en figura 4 (estiramiento del piriforme)",
        "Solo un estiramiento suave.",
        "Acuéstese boca arriba con las dos rodillas dobladas y apoye un tobillo sobre la otra rodilla, "
        "formando un 4. "
        "Sostenga por detrás el muslo de la pierna de abajo y llévelo suavemente hacia el pecho hasta sentir "
        "un estiramiento profundo en el glúteo de la pierna cruzada. "
        "Afloje si siente hormigueo bajando por la pierna.",
    ),
    "STR_ITB": SpanishText(
        "Estiramiento cruzado de pie (cintilla iliotibial / cadera externa)",
        "Solo un estiramiento suave.",
        "Párese de costado a una pared y cruce la pierna más cercana a la pared por detrás de la otra pierna. "
        "Incline la cadera suavemente hacia la pared hasta sentir un estiramiento a lo largo de la parte "
        "externa de esa cadera. "
        "Mantenga, luego gírese y haga el otro lado.",
    ),
    "HAPPY_BABY": SpanishText(
        "Bebé feliz",
        "Afloje si siente un pinchazo en la parte delantera de la cadera.",
        "Acuéstese boca arriba, lleve las rodillas hacia las axilas y sostenga el borde externo de los pies "
        "o los tobillos, con las plantas hacia el techo. "
        "Lleve suavemente las rodillas hacia el piso y deje que la parte baja de la espalda se relaje. "
        "Afloje si siente un pinchazo en la parte delantera de la cadera.",
    ),
    "CHILDS_POSE": SpanishText(
        "Postura del niño",
        "Un cojín debajo de la cadera si le resulta incómodo sentarse hacia atrás.",
        "Arrodíllese con los dedos gordos de los pies juntos y las rodillas separadas, y siéntese hacia atrás "
        "sobre los talones. "
        "Lleve las manos hacia adelante y deje que el pecho baje hacia el piso, respirando despacio hacia la "
        "parte baja de la espalda y la cadera. "
        "Ponga un cojín debajo de la cadera si no puede sentarse hacia atrás con comodidad.",
    ),
    "PIGEON_POSE": SpanishText(
        "Postura de la paloma",
        "No con pinzamiento, rotura del labrum ni artrosis de cadera, salvo que el terapeuta lo indique.",
        "Desde manos y rodillas, lleve una rodilla hacia adelante, detrás de la muñeca, con la espinilla en "
        "diagonal delante del cuerpo, y deslice la otra pierna estirada hacia atrás. "
        "Baje la cadera suavemente hasta sentir un estiramiento en el glúteo de la pierna de adelante, "
        "apoyando el peso en las manos. "
        "Deténgase si siente un pinchazo en la parte delantera de la cadera.",
    ),
    "KNEES_TO_CHEST": SpanishText(
        "Estiramiento de rodillas al pecho",
        "No con pinzamiento ni rotura del labrum: lleva la cadera a la posición del pinchazo.",
        "Acuéstese boca arriba y abrace las dos rodillas hacia el pecho, con las manos detrás de los muslos. "
        "Mantenga suavemente mientras la parte baja de la espalda se relaja contra el piso. "
        "Deténgase si siente un pinchazo en la parte delantera de la cadera.",
    ),
    "DEEP_LUNGE": SpanishText(
        "Estiramiento en estocada profunda",
        "No con pinzamiento, rotura del labrum ni artrosis de cadera: la posición profunda puede irritar la "
        "articulación.",
        "Dé un paso largo hacia adelante con un pie, apoye la rodilla de atrás sobre un cojín y lleve la "
        "cadera hacia adelante y abajo hasta sentir un estiramiento en la parte delantera de la cadera de "
        "atrás. "
        "Mantenga la rodilla de adelante sobre el tobillo y el tronco derecho. "
        "Deténgase si siente un pinchazo en la parte delantera de la cadera.",
    ),
    "YOGA": SpanishText(
        "Yoga suave",
        "Clase o rutina de 20–30 min; deje de lado las posturas que doblan mucho la cadera, como la paloma.",
        "Siga una clase o rutina de yoga suave que trabaje la cadera, los isquiotibiales y el tronco. "
        "Entre despacio en cada postura y quédese solo donde sienta un estiramiento cómodo. "
        "Deje de lado las posturas que doblan mucho la cadera, como la paloma, si siente un pinchazo en la "
        "cadera.",
    ),
    "DYN_WARMUP": SpanishText(
        "Balanceos de pierna y círculos de cadera (calentamiento dinámico)",
        "10 balanceos o círculos en cada dirección, antes de cada salida a correr.",
        "Antes de correr, sosténgase de una pared y balancee una pierna hacia adelante y hacia atrás, y luego "
        "cruzando por delante del cuerpo y hacia el costado, en un arco suave y relajado. "
        "Después haga círculos lentos y amplios con la rodilla, abriendo la cadera hacia afuera y luego hacia "
        "adentro. "
        "Empiece con movimientos pequeños y déjelos crecer dentro de un rango cómodo.",
    ),
    "FOAM_ROLL": SpanishText(
        "Rodillo de espuma (cuádriceps, glúteos, muslo externo)",
        "Unos 60 s por zona; para los glúteos sirve una pelota de masaje.",
        "Acuéstese con el rodillo debajo de la parte delantera del muslo, luego del glúteo y luego de la parte "
        "externa del muslo, y ruede despacio durante más o menos un minuto en cada zona. "
        "Use los brazos y la otra pierna para controlar cuánto peso carga sobre el rodillo. "
        "No ruede directamente sobre el hueso que sobresale al costado de la cadera.",
    ),
    "NERVE_GLIDE": SpanishText(
        "Deslizamiento del nervio ciático",
        "Pierna afectada; suave y rítmico, nunca un estiramiento fuerte.",
        "Acuéstese boca arriba y sostenga por detrás el muslo de la pierna afectada, con la cadera doblada "
        "más o menos en ángulo recto. "
        "Estire despacio la rodilla mientras lleva los dedos del pie hacia usted, y luego doble la rodilla y "
        "vuelva a estirar la punta del pie, con un ritmo suave. "
        "Hágalo con suavidad y deténgase si el hormigueo aumenta.",
    ),
    "XTRAIN_CYCLE": SpanishText(
        "Ciclismo",
        "20–45 min a un esfuerzo suave, en el que pueda conversar.",
        "Pedalee en una bicicleta fija o al aire libre a un esfuerzo suave, en el que pueda conversar. "
        "Ajuste el asiento para que la rodilla quede casi estirada en la parte baja del pedaleo, así la "
        "cadera no se dobla demasiado. "
        "Al principio, por terreno plano y a ritmo constante.",
    ),
    "XTRAIN_SWIM": SpanishText(
        "Natación",
        "20–40 min a un esfuerzo constante y suave.",
        "Nade a un esfuerzo constante y suave, con cualquier estilo que no le duela en la cadera. "
        "Use un pull buoy entre los muslos si la patada la irrita. "
        "Aumente el tiempo poco a poco.",
    ),
    "XTRAIN_POOL_RUN": SpanishText(
        "Carrera en piscina (carrera en aguas profundas)",
        "20–40 min; adecuado mientras el impacto no está permitido.",
        "En aguas profundas y con un cinturón de flotación, imite su forma de correr sin tocar el fondo. "
        "Manténgase erguido, mueva las rodillas y los brazos como si estuviera corriendo, y mantenga un "
        "esfuerzo constante y suave. "
        "Así mantiene su estado físico para correr sin ningún impacto en la cadera.",
    ),
    "XTRAIN_PILATES": SpanishText(
        "Pilates",
        "Una clase o rutina en casa de 45–60 min.",
        "Vaya a una clase de Pilates o siga la rutina de su terapeuta para ganar control del abdomen, la "
        "pelvis y la cadera. "
        "Concéntrese en movimientos lentos y precisos y en una respiración constante, más que en cuánto puede "
        "estirarse. "
        "Cuéntele al instructor sobre su cadera y evite cualquier posición que le produzca un pinchazo.",
    ),
    "XTRAIN_ROW": SpanishText(
        "Remo",
        "15–30 min a un esfuerzo suave y constante.",
        "Reme en una máquina a un esfuerzo suave y constante, empujando primero con las piernas y luego "
        "tirando con los brazos. "
        "Acorte el recorrido para que las rodillas no lleguen hasta el pecho si eso le produce un pinchazo en "
        "la cadera. "
        "Aumente el tiempo poco a poco.",
    ),
}


def spanish_of(code: str) -> SpanishText | None:
    """The seed exercise's Spanish, or None for a code the seed catalogue does not have."""
    return SPANISH.get(code)
