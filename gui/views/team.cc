// Team: a sortable table of every rep (coaching recency, sessions, actions,
// average rating) and a rep x skill heat map of the latest ratings.
#include <algorithm>
#include <numeric>

#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

enum Column { kName, kTeam, kLast, kSessions, kOpen, kOverdue, kAverage, kColumns };

// Sorted row order, recomputed only when the data or the sort changes.
struct Order {
  uint64_t generation = ~uint64_t{0};
  int64_t builtAt = 0;
  std::vector<int> rows;
};

void sortRows(Order& order, const std::vector<TeamRow>& team, const ImGuiTableColumnSortSpecs& spec) {
  order.rows.resize(team.size());
  std::iota(order.rows.begin(), order.rows.end(), 0);
  bool asc = spec.SortDirection == ImGuiSortDirection_Ascending;
  auto key = [&](const TeamRow& r) -> double {
    const auto& o = r.overview;
    switch (spec.ColumnUserID) {
      case kLast: return r.daysSinceCoached < 0 ? 1e9 : r.daysSinceCoached;
      case kSessions: return o.sessions90d;
      case kOpen: return o.openActions;
      case kOverdue: return o.overdueActions;
      case kAverage: return o.averageRating;
      default: return 0;
    }
  };
  std::stable_sort(order.rows.begin(), order.rows.end(), [&](int a, int b) {
    const TeamRow &ra = team[a], &rb = team[b];
    if (spec.ColumnUserID == kName || spec.ColumnUserID == kTeam) {
      const std::string& x = spec.ColumnUserID == kName ? ra.overview.name : ra.overview.team;
      const std::string& y = spec.ColumnUserID == kName ? rb.overview.name : rb.overview.team;
      return asc ? x < y : y < x;
    }
    return asc ? key(ra) < key(rb) : key(rb) < key(ra);
  });
}

void table(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  static Order order;
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  float height = std::min(ImGui::GetContentRegionAvail().y * 0.5f,
                          ImGui::GetTextLineHeightWithSpacing() * (snap.team.size() + 2.5f));
  if (!ImGui::BeginTable("##team", kColumns, flags, ImVec2(0, height))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  // Figure columns as wide as their header and sort arrow, names sharing
  // the rest; when that would squeeze the names (large text in a small
  // window), every column stretches in proportion and headers may be cut.
  const char* figures[] = {"Last coached", "Sessions (90 d)", "Open actions", "Overdue", "Avg rating"};
  const float weights[] = {1.3f, 1.1f, 1.0f, 0.9f, 1.0f};
  float figureWidths[5], figuresTotal = 0;
  for (int i = 0; i < 5; i++) {
    figureWidths[i] = ImGui::CalcTextSize(figures[i]).x + ImGui::GetFontSize() * 1.5f;
    figuresTotal += figureWidths[i] + ImGui::GetStyle().CellPadding.x * 2;
  }
  const bool fixedFigures = ImGui::GetContentRegionAvail().x - figuresTotal >= ImGui::GetFontSize() * 16;
  ImGui::TableSetupColumn("Rep", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_WidthStretch, 2.0f, kName);
  ImGui::TableSetupColumn("Team", ImGuiTableColumnFlags_WidthStretch, 1.5f, kTeam);
  for (int i = 0; i < 5; i++)
    ImGui::TableSetupColumn(figures[i],
                            ImGuiTableColumnFlags_PreferSortDescending |
                                (fixedFigures ? ImGuiTableColumnFlags_WidthFixed : ImGuiTableColumnFlags_WidthStretch),
                            fixedFigures ? figureWidths[i] : weights[i], kLast + i);
  ImGui::TableHeadersRow();
  for (int c = 0; c < kColumns; c++) {
    ImGui::TableSetColumnIndex(c);
    ui::track(fmt::format("team/header/{}", c));
  }
  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  if (specs && specs->SpecsCount > 0 &&
      (specs->SpecsDirty || order.generation != snap.generation || order.builtAt != snap.builtAtMs)) {
    sortRows(order, snap.team, specs->Specs[0]);
    order.generation = snap.generation;
    order.builtAt = snap.builtAtMs;
    specs->SpecsDirty = false;
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(order.rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      const TeamRow& row = snap.team[order.rows[i]];
      const auto& o = row.overview;
      ImGui::PushID(i);
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (ImGui::Selectable(o.name.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) m.openRep(o.rep);
      ui::track("team/row/" + o.name);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(o.team.c_str());
      ImGui::TableNextColumn();
      if (row.daysSinceCoached < 0) ImGui::TextColored(ui::red(), "never");
      else if (row.due) ImGui::TextColored(ui::amber(), "%d days ago", row.daysSinceCoached);
      else ImGui::Text("%d days ago", row.daysSinceCoached);
      ImGui::TableNextColumn();
      ImGui::Text("%d", o.sessions90d);
      ImGui::TableNextColumn();
      ImGui::Text("%d", o.openActions);
      ImGui::TableNextColumn();
      if (o.overdueActions) ImGui::TextColored(ui::red(), "%d", o.overdueActions);
      else ImGui::TextUnformatted("0");
      ImGui::TableNextColumn();
      if (o.averageRating > 0) ImGui::TextColored(ui::ratingColor(static_cast<int>(o.averageRating + 0.5)), "%.1f", o.averageRating);
      else ui::muted("-");
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

// Text widths the heat map lays out by, measured once per snapshot and
// text size rather than every frame (a team can have hundreds of reps).
struct TextWidths {
  uint64_t generation = ~uint64_t{0};
  int64_t builtAt = 0;
  float fontSize = 0;
  float longestName = 0, longestSkillWord = 0;
};

const TextWidths& measured(const Snapshot& snap, float fontSize) {
  static TextWidths w;
  if (w.generation == snap.generation && w.builtAt == snap.builtAtMs && w.fontSize == fontSize) return w;
  w = TextWidths{snap.generation, snap.builtAtMs, fontSize, ImGui::CalcTextSize("Rep").x, 0};
  for (const auto& r : snap.team) w.longestName = std::max(w.longestName, ImGui::CalcTextSize(r.overview.name.c_str()).x);
  for (const auto& skill : snap.skills) {
    for (size_t at = 0; at < skill.name.size();) {
      size_t end = std::min(skill.name.find(' ', at), skill.name.size());
      w.longestSkillWord =
          std::max(w.longestSkillWord, ImGui::CalcTextSize(skill.name.data() + at, skill.name.data() + end).x);
      at = end + 1;
    }
  }
  return w;
}

void heatMap(AppModel& m) {
  const Snapshot& snap = m.snapshot();
  ui::subheading("Latest rating per skill");
  if (snap.skills.empty()) {
    ui::empty("No skills in the competency model yet (Settings).");
    return;
  }
  int columns = static_cast<int>(snap.skills.size()) + 1;
  if (columns > 63) columns = 63;
  ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_BordersInner |
                          ImGuiTableFlags_SizingFixedFit;
  // Skill columns share the width (a typical model of ten fits at 1280 px)
  // with their names wrapped on up to two lines, never narrower than the
  // longest word of a name; past that the table scrolls sideways.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float font = ImGui::GetFontSize();
  const TextWidths& widths = measured(snap, font);
  const float repWidth = std::min(widths.longestName + font * 0.5f, font * 10);
  const float cellPad = style.CellPadding.x * 2 + 1;
  const float longestWord = std::max(widths.longestSkillWord, font * 3);
  const float skillWidth = std::max(longestWord + font * 0.25f, (ImGui::GetContentRegionAvail().x - repWidth - cellPad) /
                                                                       static_cast<float>(columns - 1) - cellPad);
  const float headerHeight = ImGui::GetTextLineHeight() * 2 + style.CellPadding.y * 2;
  const float rowHeight = ImGui::GetTextLineHeight() + style.CellPadding.y * 2 + 1;
  // As tall as its rows and a sideways scrollbar (scrolling past the
  // screen's bottom), no taller.
  float rowsHeight = headerHeight + rowHeight * static_cast<float>(snap.team.size()) + style.ScrollbarSize + rowHeight * 0.5f;
  float height = std::min(ImGui::GetContentRegionAvail().y, rowsHeight);
  if (!ImGui::BeginTable("##heat", columns, flags, ImVec2(0, height))) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  ImGui::TableSetupColumn("Rep", ImGuiTableColumnFlags_WidthFixed, repWidth);
  for (int c = 1; c < columns; c++)
    ImGui::TableSetupColumn(snap.skills[c - 1].name.c_str(), ImGuiTableColumnFlags_WidthFixed, skillWidth);
  // Header row by hand: ImGui 1.86's TableHeadersRow() does not wrap.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers, headerHeight);
  for (int c = 0; c < columns; c++) {
    ImGui::TableSetColumnIndex(c);
    const char* name = c == 0 ? "Rep" : snap.skills[c - 1].name.c_str();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + (c == 0 ? repWidth : skillWidth));
    ImGui::TextUnformatted(name);
    ImGui::PopTextWrapPos();
  }
  ImGuiListClipper clipper;
  clipper.Begin(static_cast<int>(snap.team.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; i++) {
      const auto& o = snap.team[i].overview;
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(o.name.c_str());
      for (int c = 1; c < columns; c++) {
        ImGui::TableNextColumn();
        const std::string& skill = snap.skills[c - 1].name;
        auto it = std::find_if(o.latestRatings.begin(), o.latestRatings.end(),
                               [&](const auto& p) { return p.first == skill; });
        if (it == o.latestRatings.end()) continue;
        ImVec4 col = ui::ratingColor(it->second);
        col.w = 0.75f;
        ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, ImGui::GetColorU32(col));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        ImGui::Text(" %d", it->second);
        ImGui::PopStyleColor();
      }
    }
  }
  ImGui::EndTable();
}

void addRepForm(AppModel& m, ViewState& s) {
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 12);
  ui::inputText("##new-rep-name", s.newRepName, "New rep's name");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
  ui::inputText("##new-rep-team", s.newRepTeam, "Team");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9);
  ui::inputText("##new-rep-territory", s.newRepTerritory, "Territory");
  ImGui::SameLine();
  ImGui::BeginDisabled(s.newRepName.find_first_not_of(' ') == std::string::npos);
  if (ui::button("Add rep") && m.addRep(s.newRepName, s.newRepTeam, s.newRepTerritory)) {
    s.newRepName.clear();
    s.newRepTerritory.clear();
  }
  ImGui::EndDisabled();
}

}  // namespace

void team(AppModel& m, ViewState& s) {
  ui::heading(fmt::format("Team · {} reps", m.snapshot().team.size()));
  addRepForm(m, s);
  ImGui::Spacing();
  if (m.snapshot().team.empty()) {
    ui::empty("No reps yet: add the first one above.");
    return;
  }
  table(m);
  heatMap(m);
}

}  // namespace ridealong::gui::views
