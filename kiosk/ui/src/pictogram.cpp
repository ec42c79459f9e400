#include "comptoir/ui/pictogram.hpp"

#include <cmath>

namespace comptoir::ui {

namespace {
ImVec2 at(ImVec2 c, float s, float x, float y) {
    return ImVec2(c.x + x * s, c.y + y * s);
}
} // namespace

void drawPictogram(ImDrawList* dl, const std::string& key, ImVec2 c, float size, ImU32 col) {
    const float s = size / 2.0f; // unit: half the box; coordinates below are in [-1, 1]
    const float w = std::max(2.0f, size * 0.07f);
    if (key == "heart") {
        dl->PathLineTo(at(c, s, 0, 0.8f));
        dl->PathBezierCubicCurveTo(at(c, s, -1.0f, 0.05f), at(c, s, -0.8f, -0.85f), at(c, s, 0, -0.35f));
        dl->PathBezierCubicCurveTo(at(c, s, 0.8f, -0.85f), at(c, s, 1.0f, 0.05f), at(c, s, 0, 0.8f));
        dl->PathFillConvex(col);
        // the path is not convex at the top notch: fill the two lobes too
        dl->AddCircleFilled(at(c, s, -0.36f, -0.25f), s * 0.38f, col);
        dl->AddCircleFilled(at(c, s, 0.36f, -0.25f), s * 0.38f, col);
    } else if (key == "house") {
        dl->AddTriangleFilled(at(c, s, -0.9f, -0.05f), at(c, s, 0, -0.85f), at(c, s, 0.9f, -0.05f), col);
        dl->AddRectFilled(at(c, s, -0.6f, -0.1f), at(c, s, 0.6f, 0.8f), col);
        dl->AddRectFilled(at(c, s, -0.15f, 0.3f), at(c, s, 0.15f, 0.8f), IM_COL32(0, 0, 0, 70));
    } else if (key == "star") {
        ImVec2 pts[10];
        for (int i = 0; i < 10; ++i) {
            float r = (i % 2 == 0) ? 0.95f : 0.42f;
            float a = -1.5708f + static_cast<float>(i) * 3.14159f / 5.0f;
            pts[i] = at(c, s, r * std::cos(a), r * std::sin(a) + 0.08f);
        }
        for (int i = 0; i < 10; i += 2)
            dl->AddTriangleFilled(pts[i], pts[(i + 1) % 10], pts[(i + 9) % 10], col);
        dl->AddConvexPolyFilled(&pts[1], 1, col);
        ImVec2 inner[5] = {pts[1], pts[3], pts[5], pts[7], pts[9]};
        dl->AddConvexPolyFilled(inner, 5, col);
    } else if (key == "leaf") {
        dl->PathLineTo(at(c, s, -0.7f, 0.7f));
        dl->PathBezierCubicCurveTo(at(c, s, -0.9f, -0.4f), at(c, s, 0.2f, -0.9f), at(c, s, 0.85f, -0.85f));
        dl->PathBezierCubicCurveTo(at(c, s, 0.9f, -0.1f), at(c, s, 0.4f, 0.8f), at(c, s, -0.7f, 0.7f));
        dl->PathFillConvex(col);
        dl->AddLine(at(c, s, -0.85f, 0.9f), at(c, s, 0.45f, -0.45f), IM_COL32(0, 0, 0, 70), w);
    } else if (key == "ball") {
        dl->AddCircle(c, s * 0.85f, col, 32, w * 1.2f);
        dl->AddLine(at(c, s, -0.85f, 0), at(c, s, 0.85f, 0), col, w);
        dl->AddBezierCubic(at(c, s, 0, -0.85f), at(c, s, 0.45f, -0.4f), at(c, s, 0.45f, 0.4f),
                           at(c, s, 0, 0.85f), col, w);
        dl->AddBezierCubic(at(c, s, 0, -0.85f), at(c, s, -0.45f, -0.4f), at(c, s, -0.45f, 0.4f),
                           at(c, s, 0, 0.85f), col, w);
    } else if (key == "palette") {
        dl->AddCircleFilled(c, s * 0.85f, col, 32);
        ImU32 hole = IM_COL32(0, 0, 0, 80);
        dl->AddCircleFilled(at(c, s, -0.35f, -0.35f), s * 0.14f, hole);
        dl->AddCircleFilled(at(c, s, 0.1f, -0.5f), s * 0.14f, hole);
        dl->AddCircleFilled(at(c, s, 0.45f, -0.2f), s * 0.14f, hole);
        dl->AddCircleFilled(at(c, s, 0.3f, 0.35f), s * 0.2f, hole);
    } else if (key == "hands") {
        // a raised open hand ("je lève la main pour aider"), with a small heart on the palm
        dl->AddRectFilled(at(c, s, -0.48f, -0.1f), at(c, s, 0.42f, 0.9f), col, s * 0.3f);
        const float fx[4] = {-0.46f, -0.22f, 0.02f, 0.26f};
        const float top[4] = {-0.62f, -0.86f, -0.8f, -0.6f};
        for (int i = 0; i < 4; ++i)
            dl->AddRectFilled(at(c, s, fx[i], top[i]), at(c, s, fx[i] + 0.19f, 0.2f), col, s * 0.1f);
        // thumb, tilted outwards
        ImVec2 th[4] = {at(c, s, 0.3f, 0.35f), at(c, s, 0.82f, -0.12f), at(c, s, 0.95f, 0.02f),
                        at(c, s, 0.42f, 0.62f)};
        dl->AddConvexPolyFilled(th, 4, col);
        dl->AddCircleFilled(at(c, s, 0.88f, -0.05f), s * 0.1f, col);
        ImU32 cut = IM_COL32(0, 0, 0, 70);
        dl->AddCircleFilled(at(c, s, -0.14f, 0.38f), s * 0.11f, cut);
        dl->AddCircleFilled(at(c, s, 0.06f, 0.38f), s * 0.11f, cut);
        dl->AddTriangleFilled(at(c, s, -0.25f, 0.43f), at(c, s, 0.17f, 0.43f), at(c, s, -0.04f, 0.65f), cut);
    } else if (key == "globe") {
        // the language button: a globe with its meridian and parallels, no flag
        float t = s * 0.1f;
        dl->AddCircle(c, s * 0.85f, col, 32, t);
        for (int i = 0; i < 24; ++i) { // Dear ImGui 1.86 has no ellipse
            float a = 6.28318f * static_cast<float>(i) / 24.0f;
            dl->PathLineTo(at(c, s, 0.38f * std::cos(a), 0.85f * std::sin(a)));
        }
        dl->PathStroke(col, ImDrawFlags_Closed, t);
        dl->AddLine(at(c, s, 0, -0.85f), at(c, s, 0, 0.85f), col, t);
        dl->AddLine(at(c, s, -0.85f, 0), at(c, s, 0.85f, 0), col, t);
        dl->AddLine(at(c, s, -0.72f, -0.42f), at(c, s, 0.72f, -0.42f), col, t);
        dl->AddLine(at(c, s, -0.72f, 0.42f), at(c, s, 0.72f, 0.42f), col, t);
    } else if (key == "screen") {
        dl->AddRectFilled(at(c, s, -0.9f, -0.7f), at(c, s, 0.9f, 0.45f), col, s * 0.1f);
        dl->AddRectFilled(at(c, s, -0.75f, -0.55f), at(c, s, 0.75f, 0.3f), IM_COL32(0, 0, 0, 80));
        dl->AddRectFilled(at(c, s, -0.12f, 0.45f), at(c, s, 0.12f, 0.7f), col);
        dl->AddRectFilled(at(c, s, -0.45f, 0.7f), at(c, s, 0.45f, 0.85f), col, s * 0.05f);
    } else if (key == "cane") {
        dl->AddCircleFilled(at(c, s, -0.3f, -0.65f), s * 0.22f, col);
        dl->AddLine(at(c, s, -0.3f, -0.4f), at(c, s, -0.35f, 0.3f), col, w * 1.6f);
        dl->AddLine(at(c, s, -0.35f, 0.3f), at(c, s, -0.6f, 0.9f), col, w * 1.4f);
        dl->AddLine(at(c, s, -0.35f, 0.3f), at(c, s, -0.05f, 0.9f), col, w * 1.4f);
        dl->AddLine(at(c, s, -0.3f, -0.2f), at(c, s, 0.3f, 0.05f), col, w * 1.2f);
        dl->AddLine(at(c, s, 0.35f, -0.1f), at(c, s, 0.55f, 0.9f), col, w);
        dl->PathArcTo(at(c, s, 0.5f, -0.1f), s * 0.15f, 3.14159f, 6.28318f, 12);
        dl->PathStroke(col, 0, w);
    } else if (key == "ballot") {
        dl->AddRectFilled(at(c, s, -0.4f, -0.85f), at(c, s, 0.4f, 0.0f), col, s * 0.05f);
        dl->AddRectFilled(at(c, s, -0.85f, -0.15f), at(c, s, 0.85f, 0.85f), col, s * 0.1f);
        dl->AddRectFilled(at(c, s, -0.5f, -0.05f), at(c, s, 0.5f, 0.08f), IM_COL32(0, 0, 0, 90));
    } else if (key == "person" || key == "people" || key == "child") {
        // round heads, soft shoulders: people, never silhouettes of a pictogram sign
        auto person = [&](float x, float y, float k) {
            dl->AddCircleFilled(at(c, s, x, y - 0.42f * k), s * 0.22f * k, col, 24);
            dl->PathArcTo(at(c, s, x, y + 0.38f * k), s * 0.4f * k, 3.14159f, 6.28318f, 20);
            dl->PathFillConvex(col);
        };
        if (key == "person") {
            person(0, 0.1f, 1.6f);
        } else if (key == "people") {
            person(-0.5f, 0.2f, 1.0f);
            person(0.5f, 0.2f, 1.0f);
            person(0, 0.05f, 1.25f);
        } else { // an adult and a child hand in hand
            person(-0.35f, 0.05f, 1.3f);
            person(0.5f, 0.35f, 0.85f);
            dl->AddLine(at(c, s, -0.05f, 0.45f), at(c, s, 0.25f, 0.55f), col, w * 1.2f);
        }
    } else if (key == "tree") {
        dl->AddRectFilled(at(c, s, -0.1f, 0.1f), at(c, s, 0.1f, 0.85f), col, s * 0.05f);
        dl->AddCircleFilled(at(c, s, 0, -0.3f), s * 0.5f, col, 32);
        dl->AddCircleFilled(at(c, s, -0.4f, 0.0f), s * 0.32f, col, 24);
        dl->AddCircleFilled(at(c, s, 0.4f, 0.0f), s * 0.32f, col, 24);
        dl->AddLine(at(c, s, -0.9f, 0.85f), at(c, s, 0.9f, 0.85f), col, w);
    } else if (key == "chair") {
        dl->AddRectFilled(at(c, s, 0.3f, -0.8f), at(c, s, 0.5f, 0.2f), col, s * 0.06f);    // back
        dl->AddRectFilled(at(c, s, -0.55f, 0.05f), at(c, s, 0.5f, 0.25f), col, s * 0.06f); // seat
        dl->AddLine(at(c, s, -0.45f, 0.25f), at(c, s, -0.5f, 0.9f), col, w * 1.3f);
        dl->AddLine(at(c, s, 0.4f, 0.25f), at(c, s, 0.45f, 0.9f), col, w * 1.3f);
        dl->AddCircleFilled(at(c, s, -0.15f, -0.6f), s * 0.2f, col, 20); // someone sitting
        dl->AddRectFilled(at(c, s, -0.35f, -0.35f), at(c, s, 0.15f, 0.0f), col, s * 0.12f);
    } else if (key == "sun" || key == "sunrise") {
        const bool rise = key == "sunrise";
        ImVec2 o = rise ? at(c, s, 0, 0.35f) : c;
        for (int i = 0; i < 8; ++i) {
            float a = static_cast<float>(i) * 0.7854f;
            if (rise && std::sin(a) > 0.01f) continue; // below the horizon
            dl->AddLine(ImVec2(o.x + std::cos(a) * s * 0.55f, o.y + std::sin(a) * s * 0.55f),
                        ImVec2(o.x + std::cos(a) * s * 0.85f, o.y + std::sin(a) * s * 0.85f), col, w * 1.1f);
        }
        if (rise) {
            dl->PathArcTo(o, s * 0.42f, 3.14159f, 6.28318f, 20);
            dl->PathFillConvex(col);
            dl->AddLine(at(c, s, -0.95f, 0.4f), at(c, s, 0.95f, 0.4f), col, w * 1.2f);
        } else {
            dl->AddCircleFilled(o, s * 0.42f, col, 32);
        }
    } else if (key == "moon") {
        dl->PathArcTo(at(c, s, -0.05f, 0.05f), s * 0.55f, 1.9f, 5.6f, 24);
        dl->PathStroke(col, 0, s * 0.3f);
        dl->AddCircleFilled(at(c, s, 0.55f, -0.45f), s * 0.1f, col);
        dl->AddCircleFilled(at(c, s, 0.7f, 0.15f), s * 0.07f, col);
    } else if (key == "week" || key == "weekend" || key == "once" || key == "few") {
        // a calendar page; its filled days say which
        dl->AddRect(at(c, s, -0.85f, -0.7f), at(c, s, 0.85f, 0.85f), col, s * 0.12f, 0, w);
        dl->AddRectFilled(at(c, s, -0.85f, -0.7f), at(c, s, 0.85f, -0.4f), col, s * 0.12f,
                          ImDrawFlags_RoundCornersTop);
        dl->AddLine(at(c, s, -0.45f, -0.9f), at(c, s, -0.45f, -0.6f), col, w * 1.2f);
        dl->AddLine(at(c, s, 0.45f, -0.9f), at(c, s, 0.45f, -0.6f), col, w * 1.2f);
        for (int row = 0; row < 3; ++row)
            for (int d = 0; d < 7; ++d) {
                float x = -0.7f + static_cast<float>(d) * 0.233f,
                      y = -0.22f + static_cast<float>(row) * 0.33f;
                bool on = key == "week"      ? (row == 1 && d < 5)
                          : key == "weekend" ? (row == 1 && d >= 5)
                          : key == "once"
                              ? (row == 1 && d == 3)
                              : ((row == 0 && d == 1) || (row == 1 && d == 4) || (row == 2 && d == 2));
                float r = on ? 0.1f : 0.045f;
                dl->AddCircleFilled(at(c, s, x, y), s * r, col, 12);
            }
    } else if (key == "repeat") {
        dl->PathArcTo(c, s * 0.62f, -2.6f, 1.9f, 28);
        dl->PathStroke(col, 0, w * 1.6f);
        ImVec2 tip(c.x + std::cos(1.9f) * s * 0.62f, c.y + std::sin(1.9f) * s * 0.62f);
        dl->AddTriangleFilled(ImVec2(tip.x - s * 0.32f, tip.y - s * 0.05f),
                              ImVec2(tip.x + s * 0.12f, tip.y - s * 0.3f),
                              ImVec2(tip.x + s * 0.12f, tip.y + s * 0.25f), col);
        dl->AddCircleFilled(c, s * 0.14f, col);
    } else if (key == "any") {
        // "peu importe": an open, smiling face
        dl->AddCircle(c, s * 0.8f, col, 32, w * 1.3f);
        dl->AddCircleFilled(at(c, s, -0.3f, -0.2f), s * 0.1f, col);
        dl->AddCircleFilled(at(c, s, 0.3f, -0.2f), s * 0.1f, col);
        dl->PathArcTo(at(c, s, 0, 0.05f), s * 0.42f, 0.5f, 2.64f, 16);
        dl->PathStroke(col, 0, w * 1.3f);
    } else if (key == "speaker") {
        dl->AddRectFilled(at(c, s, -0.8f, -0.25f), at(c, s, -0.4f, 0.25f), col);
        dl->AddTriangleFilled(at(c, s, -0.5f, 0), at(c, s, 0.05f, -0.7f), at(c, s, 0.05f, 0.7f), col);
        for (int i = 1; i <= 2; ++i) {
            dl->PathArcTo(at(c, s, 0.05f, 0), s * (0.3f + 0.3f * static_cast<float>(i)), -0.8f, 0.8f, 12);
            dl->PathStroke(col, 0, w);
        }
    } else {
        dl->AddCircleFilled(c, s * 0.4f, col);
    }
}

} // namespace comptoir::ui
