"""How the studio looks: clothing, skin, background, light and sensor nuisances."""

from __future__ import annotations

from dataclasses import dataclass

BGR = tuple[int, int, int]
BYSTANDERS = ("none", "person", "object")


def hex_to_bgr(colour: str) -> BGR:
    """ "#rrggbb" -> (b, g, r) ints, OpenCV's channel order."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise ValueError(f"colour: expected '#rrggbb', got {colour!r}")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return b, g, r


@dataclass(frozen=True, slots=True)
class Appearance:
    """Colours ("#rrggbb") and nuisance settings of a rendered clip.

    Attributes:
        skin: Face, neck, forearms and hands.
        shirt: Trunk and the sleeves over the shoulders (a T-shirt).
        pants: Pelvis, thighs and shanks (long trousers or leggings).
        shoes: Feet.
        hair: Hair cap and eyebrows.
        legwear: "long" (trousers to the ankle) or "shorts" (to the knee: bare shins).
        sleeves: "short" (T-shirt: bare from mid upper arm) or "long" (to the wrist).
        background: "plain" (one wall colour), "gradient" (wall_top -> wall_bottom),
            "textured" (plaster wall, plank floor) or "room" (with a window, a door, a
            picture and a rug); see `background.BACKGROUNDS`.
        wall_top: Wall colour at the top of the image.
        wall_bottom: Wall colour at the floor line (ignored by "plain").
        floor: Floor colour.
        wall_distance_m: How far behind the subject (along the view) the wall stands.
        light_direction: World direction towards the key light (x, y up, z).
        far_side_shade: Brightness factor of the limbs on the side away from the camera.
        shadow_strength: Darkening of the soft contact shadow under the body (0 = none).
        noise_sigma: Std of seeded Gaussian sensor noise, in 8-bit levels (0 = none).
        blur_sigma_px: Gaussian defocus blur of the whole frame, pixels (0 = none).
        exposure: Gain on the whole frame (0.6 a dim room, 1.3 over-exposed).
        jpeg_quality: Re-encode every frame as JPEG at this quality (1-100) before the
            video codec, for blocking and ringing artefacts (0 = off).
        bystander: Something else partly in view at the edge of the picture: "none",
            "person" (a second mannequin standing behind, cut by the frame edge) or
            "object" (an exercise ball and a box in front of the wall).
    """

    skin: str = "#e0ac8c"
    shirt: str = "#2f4f8f"
    pants: str = "#2d2d33"
    shoes: str = "#dcdcdc"
    hair: str = "#3b2a1e"
    legwear: str = "long"
    sleeves: str = "short"
    background: str = "gradient"
    wall_top: str = "#e6e3de"
    wall_bottom: str = "#c9c4bc"
    floor: str = "#a88b6e"
    wall_distance_m: float = 2.5
    light_direction: tuple[float, float, float] = (0.3, 1.0, -0.5)
    far_side_shade: float = 0.78
    shadow_strength: float = 0.35
    noise_sigma: float = 1.5
    blur_sigma_px: float = 0.0
    exposure: float = 1.0
    jpeg_quality: int = 0
    bystander: str = "none"

    def __post_init__(self) -> None:
        for slot in ("skin", "shirt", "pants", "shoes", "hair", "wall_top", "wall_bottom", "floor"):
            hex_to_bgr(getattr(self, slot))  # fail at construction, not mid-render
        if self.legwear not in ("long", "shorts"):
            raise ValueError(
                f"Appearance.legwear: expected 'long' or 'shorts', got {self.legwear!r}"
            )
        if self.sleeves not in ("short", "long"):
            raise ValueError(
                f"Appearance.sleeves: expected 'short' or 'long', got {self.sleeves!r}"
            )
        if self.noise_sigma < 0 or self.blur_sigma_px < 0:
            raise ValueError("Appearance: noise_sigma and blur_sigma_px must be >= 0")
        if not 0 <= self.jpeg_quality <= 100:
            raise ValueError(f"Appearance.jpeg_quality: expected 0-100, got {self.jpeg_quality}")
        if self.exposure <= 0:
            raise ValueError(f"Appearance.exposure: expected > 0, got {self.exposure}")
        if self.bystander not in BYSTANDERS:
            raise ValueError(
                f"Appearance.bystander: expected one of {BYSTANDERS}, got {self.bystander!r}"
            )
        if not 0.0 <= self.shadow_strength <= 1.0:
            raise ValueError(
                f"Appearance.shadow_strength: expected 0..1, got {self.shadow_strength}"
            )

    def slot_for(self, part_name: str, material: str) -> str:
        """The material slot a body part wears, after legwear and sleeve length."""
        if part_name.endswith(("_shank", "_calf")) and self.legwear == "shorts":
            return "skin"
        if part_name.endswith(("_upper_arm", "_forearm")) and self.sleeves == "long":
            return "shirt"
        return material

    def colour(self, slot: str) -> BGR:
        """BGR of a material slot name or a literal "#rrggbb"."""
        return hex_to_bgr(slot if slot.startswith("#") else getattr(self, slot))
