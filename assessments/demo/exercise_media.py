"""Demo: plain line drawings of a few catalogue exercises, drawn with Pillow at load time (nothing committed).

Each drawing goes through the same checks and re-encoding as a clinic
admin's upload (assessments.exercises.media), so the demo shows exactly
what an upload becomes. Idempotent: an exercise that has media keeps it.
"""

import io
from dataclasses import dataclass

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from assessments.exercises.media import check_upload
from assessments.exercises.services import exercise_save
from assessments.models import Exercise
from clinic.staff.models import User

WIDTH, HEIGHT = 640, 360
INK = (33, 37, 41)
BODY = (13, 110, 253)
MOVE = (214, 51, 132)
FLOOR = (173, 181, 189)

Point = tuple[float, float]


@dataclass(frozen=True)
class Drawing:
    """A stick figure: a head, limbs as joint chains (0–1 of the canvas), arrows for the movement."""

    head: Point
    chains: tuple[tuple[Point, ...], ...]
    arrows: tuple[tuple[Point, Point], ...]
    description: str
    description_es: str  # the same words in Spanish, for patients who read Spanish
    step: tuple[Point, Point] | None = None


DRAWINGS = {
    "BRIDGE": Drawing(
        head=(0.14, 0.74),
        chains=(
            ((0.2, 0.76), (0.5, 0.56), (0.68, 0.44), (0.76, 0.8)),  # trunk, thigh, shin
            ((0.2, 0.76), (0.5, 0.58), (0.66, 0.47), (0.72, 0.8)),  # the other leg
            ((0.22, 0.77), (0.42, 0.8)),  # arm on the floor
        ),
        arrows=(((0.5, 0.72), (0.5, 0.5)),),
        description=(
            "Line drawing: lying on the back with knees bent and feet flat, the hips lifted "
            "so shoulders, hips and knees make a straight line; an arrow shows the hips rising."
        ),
        description_es=(
            "Dibujo de líneas: acostado boca arriba con las rodillas dobladas y los pies apoyados, la "
            "cadera levantada para que los hombros, la cadera y las rodillas formen una línea recta; "
            "una flecha muestra cómo sube la cadera."
        ),
    ),
    "SL_BRIDGE": Drawing(
        head=(0.14, 0.74),
        chains=(
            ((0.2, 0.76), (0.5, 0.56), (0.66, 0.44), (0.74, 0.8)),
            ((0.5, 0.56), (0.7, 0.46), (0.9, 0.38)),  # the lifted leg, straight
            ((0.22, 0.77), (0.42, 0.8)),
        ),
        arrows=(((0.5, 0.72), (0.5, 0.5)),),
        description=(
            "Line drawing: a bridge on one leg: lying on the back, one foot flat with the knee bent, "
            "the other leg held straight in line with the thigh; an arrow shows the hips rising."
        ),
        description_es=(
            "Dibujo de líneas: un puente a una pierna: acostado boca arriba, un pie apoyado con la "
            "rodilla doblada y la otra pierna estirada en línea con el muslo; una flecha muestra cómo "
            "sube la cadera."
        ),
    ),
    "CLAM": Drawing(
        head=(0.14, 0.6),
        chains=(
            ((0.2, 0.64), (0.5, 0.7), (0.64, 0.56), (0.5, 0.74)),  # trunk, top thigh lifted, shin
            ((0.5, 0.74), (0.66, 0.66), (0.5, 0.8)),  # the bottom leg
            ((0.2, 0.64), (0.12, 0.78)),  # the arm under the head
        ),
        arrows=(((0.68, 0.64), (0.66, 0.44)),),
        description=(
            "Line drawing: lying on one side with hips and knees bent, feet together; "
            "the top knee lifts away from the bottom one, as the arrow shows, without the hips rolling back."
        ),
        description_es=(
            "Dibujo de líneas: acostado de lado con la cadera y las rodillas dobladas y los pies "
            "juntos; la rodilla de arriba se separa de la de abajo, como muestra la flecha, sin que "
            "la cadera se vaya hacia atrás."
        ),
    ),
    "SIDE_PLANK": Drawing(
        head=(0.2, 0.42),
        chains=(
            ((0.24, 0.5), (0.55, 0.64), (0.86, 0.8)),  # a straight body line
            ((0.24, 0.5), (0.24, 0.8), (0.36, 0.8)),  # the forearm on the floor
        ),
        arrows=(((0.55, 0.8), (0.55, 0.66)),),
        description=(
            "Line drawing: a side plank on the forearm, elbow under the shoulder, body straight "
            "from head to feet; an arrow shows the hips held up off the floor."
        ),
        description_es=(
            "Dibujo de líneas: una plancha lateral sobre el antebrazo, con el codo debajo del hombro "
            "y el cuerpo recto de la cabeza a los pies; una flecha muestra la cadera sostenida sin "
            "tocar el piso."
        ),
    ),
    "SQUAT": Drawing(
        head=(0.46, 0.17),
        chains=(
            ((0.46, 0.25), (0.4, 0.55), (0.58, 0.6), (0.52, 0.82)),  # trunk leaning, thigh, shin
            ((0.45, 0.3), (0.7, 0.36)),  # arms forward for balance
        ),
        arrows=(((0.3, 0.35), (0.3, 0.6)),),
        description=(
            "Line drawing: a squat, feet flat, hips sitting back and down with the knees over the toes, "
            "arms forward for balance; an arrow shows the movement down."
        ),
        description_es=(
            "Dibujo de líneas: una sentadilla, con los pies apoyados, la cadera hacia atrás y hacia "
            "abajo con las rodillas sobre los dedos de los pies y los brazos hacia adelante para "
            "mantener el equilibrio; una flecha muestra el movimiento hacia abajo."
        ),
    ),
    "CALF_RAISE": Drawing(
        head=(0.5, 0.14),
        chains=(
            ((0.5, 0.22), (0.5, 0.52), (0.5, 0.72), (0.52, 0.8)),  # standing tall, up on the toes
            ((0.5, 0.28), (0.6, 0.36), (0.72, 0.3)),  # a hand on the wall
        ),
        arrows=(((0.34, 0.6), (0.34, 0.36)),),
        step=((0.4, 0.8), (0.62, 0.9)),
        description=(
            "Line drawing: standing on the edge of a step with one hand on a wall, rising up onto the toes "
            "as the arrow shows, then lowering the heels slowly below the step."
        ),
        description_es=(
            "Dibujo de líneas: de pie en el borde de un escalón con una mano en la pared, subiendo en "
            "puntas de pie como muestra la flecha y luego bajando despacio los talones por debajo del "
            "escalón."
        ),
    ),
}


def _xy(point: Point) -> tuple[int, int]:
    return round(point[0] * WIDTH), round(point[1] * HEIGHT)


def _arrow(draw: ImageDraw.ImageDraw, start: Point, end: Point) -> None:
    (x0, y0), (x1, y1) = _xy(start), _xy(end)
    draw.line([(x0, y0), (x1, y1)], fill=MOVE, width=6)
    dx, dy = x1 - x0, y1 - y0
    length = max((dx * dx + dy * dy) ** 0.5, 1)
    ux, uy = dx / length, dy / length
    left = (x1 - 18 * ux + 10 * uy, y1 - 18 * uy - 10 * ux)
    right = (x1 - 18 * ux - 10 * uy, y1 - 18 * uy + 10 * ux)
    draw.polygon([(x1, y1), left, right], fill=MOVE)


def draw(drawing: Drawing) -> bytes:
    """The drawing as a PNG: floor, figure, movement arrows."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    pen = ImageDraw.Draw(image)
    pen.line([(20, round(0.82 * HEIGHT)), (WIDTH - 20, round(0.82 * HEIGHT))], fill=FLOOR, width=4)
    if drawing.step is not None:
        pen.rectangle([_xy(drawing.step[0]), _xy(drawing.step[1])], outline=INK, fill=FLOOR, width=3)
    for chain in drawing.chains:
        pen.line([_xy(p) for p in chain], fill=BODY, width=12, joint="curve")
        for joint in chain:
            x, y = _xy(joint)
            pen.ellipse([x - 7, y - 7, x + 7, y + 7], fill=INK)
    x, y = _xy(drawing.head)
    pen.ellipse([x - 22, y - 22, x + 22, y + 22], outline=INK, fill="white", width=6)
    for start, end in drawing.arrows:
        _arrow(pen, start, end)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def load(admin: User) -> int:
    """Give the drawn exercises their picture (those without media); returns how many were added."""
    added = 0
    for exercise in Exercise.objects.filter(code__in=DRAWINGS, media=""):
        drawing = DRAWINGS[exercise.code]
        media = check_upload(ContentFile(draw(drawing), name=f"{exercise.code}.png"))
        exercise_save(
            exercise=exercise,
            values={"media_description": drawing.description, "media_description_es": drawing.description_es},
            by=admin,
            expected_version=exercise.version,
            media=media,
        )
        added += 1
    return added
