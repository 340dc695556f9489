// Team: a sortable table of every rep (coaching recency, sessions, actions,
// average rating) and a rep x skill heat map of the latest ratings.
#include <algorithm>
#include <numeric>
#include <string>

#include <fmt/core.h>
#include <imgui.h>

#include "screens.h"
#include "ui.h"

namespace ridealong::gui::views {

namespace {

enum Column { kName, kTeam, kLast, kSessions, kOnTime, kOpen, kOverdue, kAverage, kColumns };
constexpr int kFigures = kColumns - kLast;

// Sorted row order, recomputed only when the data or the sort changes.
using Order = ViewMemory::TeamOrder;

void sortRows(Order& order, const std::vector<TeamRow>& team, const ImGuiTableColumnSortSpecs& spec) {
  order.rows.resize(team.size());
  std::iota(order.rows.begin(), order.rows.end(), 0);
  bool asc = spec.SortDirection == ImGuiSortDirection_Ascending;
  auto key = [&](const TeamRow& r) -> double {
    const auto& o = r.overview;
    switch (spec.ColumnUserID) {
      case kLast: return r.daysSinceCoached < 0 ? 1e9 : r.daysSinceCoached;
      case kSessions: return o.sessions90d;
      // Share held on time; reps with nothing due yet sort below any figure.
      case kOnTime: return r.adherence.due() ? r.adherence.onTimeShare() * 1000 + r.adherence.due() : -1;
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

void table(AppModel& m, ViewState& s) {
  const Snapshot& snap = m.snapshot();
  Order& order = s.memory.teamOrder;
  ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH |
                          ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp;
  // Figure columns as wide as their header and sort arrow, names sharing
  // the rest. When that would squeeze the names (touch mode, large text),
  // the headers go on two lines, split between words, and the columns are
  // as wide as the longer line; only when even that does not fit does
  // every column stretch in proportion (and a header may be cut).
  const char* figures[kFigures] = {"Last coached", "Sessions (90 d)", "On time",
                                   "Open actions", "Overdue",         "Avg rating"};
  const float weights[kFigures] = {1.3f, 1.1f, 0.8f, 1.0f, 0.9f, 1.0f};
  const ImGuiStyle& style = ImGui::GetStyle();
  const float font = ImGui::GetFontSize();
  const float arrow = font + style.FramePadding.x;  // the sort arrow's room, as ImGui leaves it
  const float avail = ImGui::GetContentRegionAvail().x - style.ScrollbarSize;  // the table may scroll
  std::string lines[kFigures][2];
  float oneLine[kFigures], twoLines[kFigures], oneTotal = 0, twoTotal = 0;
  for (int i = 0; i < kFigures; i++) {
    const std::string label = figures[i];
    oneLine[i] = ImGui::CalcTextSize(label.c_str()).x + arrow;
    lines[i][0] = label;
    twoLines[i] = oneLine[i];
    for (size_t at = label.find(' '); at != std::string::npos; at = label.find(' ', at + 1)) {
      std::string a = label.substr(0, at), b = label.substr(at + 1);
      float w = std::max(ImGui::CalcTextSize(a.c_str()).x, ImGui::CalcTextSize(b.c_str()).x) + arrow;
      if (w < twoLines[i]) {
        twoLines[i] = w;
        lines[i][0] = a;
        lines[i][1] = b;
      }
    }
    oneTotal += oneLine[i] + style.CellPadding.x * 2;
    twoTotal += twoLines[i] + style.CellPadding.x * 2;
  }
  enum { kOneLine, kTwoLines, kStretch };
  const int mode = avail - oneTotal >= font * 16 ? kOneLine : avail - twoTotal >= font * 11 ? kTwoLines : kStretch;
  const float lineHeight = ImGui::GetTextLineHeight();
  const float headerHeight = mode == kOneLine ? lineHeight : lineHeight * 2;
  float height = std::min(
      ImGui::GetContentRegionAvail().y * 0.5f,
      ImGui::GetTextLineHeightWithSpacing() * (snap.team.size() + 1.5f) + headerHeight + style.CellPadding.y * 2);
  if (!ImGui::BeginTable("##team", kColumns, flags, ImVec2(0, height))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("Rep", ImGuiTableColumnFlags_DefaultSort | ImGuiTableColumnFlags_WidthStretch, 2.0f, kName);
  ImGui::TableSetupColumn("Team", ImGuiTableColumnFlags_WidthStretch, 1.5f, kTeam);
  for (int i = 0; i < kFigures; i++) {
    ImGuiTableColumnFlags sizing =
        mode == kStretch ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed;
    float width = mode == kOneLine ? oneLine[i] : mode == kTwoLines ? twoLines[i] : weights[i];
    ImGui::TableSetupColumn(figures[i], ImGuiTableColumnFlags_PreferSortDescending | sizing, width, kLast + i);
  }
  // The header row by hand (as TableHeadersRow), so each header is tracked.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers, headerHeight + style.CellPadding.y * 2);
  for (int c = 0; c < kColumns; c++) {
    if (!ImGui::TableSetColumnIndex(c)) continue;
    ImGui::PushID(c);
    if (mode == kOneLine || c < kLast) {
      ImGui::TableHeader(ImGui::TableGetColumnName(c));
    } else {
      // Two lines drawn over an unlabelled header (which sorts on a click
      // and draws the arrow).
      ImVec2 at = ImGui::GetCursorScreenPos();
      ImGui::TableHeader("##header");
      ImDrawList* dl = ImGui::GetWindowDrawList();
      const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
      dl->AddText(at, text, lines[c - kLast][0].c_str());
      dl->AddText(ImVec2(at.x, at.y + lineHeight), text, lines[c - kLast][1].c_str());
    }
    ImGui::PopID();
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
      // Planned sessions of the last 90 days held on the day planned.
      if (row.adherence.due() == 0) ui::mutedLine("-");
      else ImGui::TextColored(ui::adherenceColor(row.adherence), "%s", ui::onTimeFigure(row.adherence).c_str());
      ui::trackText("team/ontime/" + o.name, ui::onTimeFigure(row.adherence));
      ImGui::TableNextColumn();
      ImGui::Text("%d", o.openActions);
      ImGui::TableNextColumn();
      if (o.overdueActions) ImGui::TextColored(ui::red(), "%d", o.overdueActions);
      else ImGui::TextUnformatted("0");
      ImGui::TableNextColumn();
      if (o.averageRating > 0)
        ImGui::TextColored(ui::ratingColor(static_cast<int>(o.averageRating + 0.5)), "%.1f", o.averageRating);
      else ui::muted("-");
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

// Text widths the heat map lays out by (ViewMemory::TextWidths).
using TextWidths = ViewMemory::TextWidths;

const TextWidths& measured(TextWidths& w, const Snapshot& snap, float fontSize) {
  if (w.generation == snap.generation && w.builtAt == snap.builtAtMs && w.fontSize == fontSize) return w;
  w = TextWidths{snap.generation, snap.builtAtMs, fontSize, ImGui::CalcTextSize("Rep").x, 0};
  for (const auto& r : snap.team)
    w.longestName = std::max(w.longestName, ImGui::CalcTextSize(r.overview.name.c_str()).x);
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

void heatMap(AppModel& m, ViewState& s) {
  const Snapshot& snap = m.snapshot();
  ui::subheading("Latest rating per skill");
  if (snap.skills.empty()) {
    ui::empty("No skills in the competency model yet (Settings).");
    return;
  }
  int columns = static_cast<int>(snap.skills.size()) + 1;
  if (columns > 63) columns = 63;
  ImGuiTableFlags flags =
      ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_BordersInner | ImGuiTableFlags_SizingFixedFit;
  // Skill columns share the width (a typical model of ten fits at 1280 px)
  // with their names wrapped on up to two lines, never narrower than the
  // longest word of a name; past that the table scrolls sideways.
  const ImGuiStyle& style = ImGui::GetStyle();
  const float font = ImGui::GetFontSize();
  const TextWidths& widths = measured(s.memory.heatWidths, snap, font);
  const float repWidth = std::min(widths.longestName + font * 0.5f, font * 10);
  const float cellPad = style.CellPadding.x * 2 + 1;
  const float longestWord = std::max(widths.longestSkillWord, font * 3);
  const float skillWidth =
      std::max(longestWord + font * 0.25f,
               (ImGui::GetContentRegionAvail().x - repWidth - cellPad) / static_cast<float>(columns - 1) - cellPad);
  const float headerHeight = ImGui::GetTextLineHeight() * 2 + style.CellPadding.y * 2;
  const float rowHeight = ImGui::GetTextLineHeight() + style.CellPadding.y * 2 + 1;
  // As tall as its rows and a sideways scrollbar (scrolling past the
  // screen's bottom), no taller.
  float rowsHeight =
      headerHeight + rowHeight * static_cast<float>(snap.team.size()) + style.ScrollbarSize + rowHeight * 0.5f;
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

// Enter in any of the three fields adds the rep, as the button does; the
// name field then takes the next one (the team stays for the next rep).
void addRepForm(AppModel& m, ViewState& s) {
  // Three fields and the button share the line, the name widest.
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const float room = ImGui::GetContentRegionAvail().x - ui::buttonWidth("Add rep") - spacing * 3;
  const float unit = std::min(ImGui::GetFontSize(), room / 30);
  bool entered = false;
  ImGui::SetNextItemWidth(unit * 12);
  entered |= ui::inputSubmit("##new-rep-name", s.newRepName, "New rep's name");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(unit * 9);
  entered |= ui::inputSubmit("##new-rep-team", s.newRepTeam, "Team");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(unit * 9);
  entered |= ui::inputSubmit("##new-rep-territory", s.newRepTerritory, "Territory");
  ImGui::SameLine();
  const bool blank = s.newRepName.find_first_not_of(' ') == std::string::npos;
  ImGui::BeginDisabled(blank);
  bool add = ui::button("Add rep");
  ImGui::EndDisabled();
  if ((add || (entered && !blank)) && m.addRep(s.newRepName, s.newRepTeam, s.newRepTerritory)) {
    s.newRepName.clear();
    s.newRepTerritory.clear();
    if (entered) ui::refocus("##new-rep-name");
  }
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
  table(m, s);
  heatMap(m, s);
}

}  // namespace ridealong::gui::views
