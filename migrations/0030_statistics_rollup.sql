CREATE TABLE "patch_statistics_rollup" (
	"county_code" varchar(6) NOT NULL,
	"issued_on" date NOT NULL,
	"batch_code" text NOT NULL,
	"source" text NOT NULL,
	"military" boolean NOT NULL,
	"patch_count" bigint DEFAULT 0 NOT NULL,
	"issued" bigint DEFAULT 0 NOT NULL,
	"unmerged" bigint DEFAULT 0 NOT NULL,
	"military_count" bigint DEFAULT 0 NOT NULL,
	"verified_on_time" bigint DEFAULT 0 NOT NULL,
	"verified_late" bigint DEFAULT 0 NOT NULL,
	"verification_open" bigint DEFAULT 0 NOT NULL,
	"overdue_now" bigint DEFAULT 0 NOT NULL,
	"legal_count" bigint DEFAULT 0 NOT NULL,
	"legal_area" numeric DEFAULT '0' NOT NULL,
	"illegal_count" bigint DEFAULT 0 NOT NULL,
	"illegal_area" numeric DEFAULT '0' NOT NULL,
	"illegal_farmland" numeric DEFAULT '0' NOT NULL,
	"other_count" bigint DEFAULT 0 NOT NULL,
	"other_area" numeric DEFAULT '0' NOT NULL,
	"direct" bigint DEFAULT 0 NOT NULL,
	"reviewed" bigint DEFAULT 0 NOT NULL,
	"checked" bigint DEFAULT 0 NOT NULL,
	"concealed" bigint DEFAULT 0 NOT NULL,
	"province_checked" bigint DEFAULT 0 NOT NULL,
	"province_concealed" bigint DEFAULT 0 NOT NULL,
	"rectified_count" bigint DEFAULT 0 NOT NULL,
	"rectified_area" numeric DEFAULT '0' NOT NULL,
	"rectified_farmland" numeric DEFAULT '0' NOT NULL,
	"legalised_farmland" numeric DEFAULT '0' NOT NULL,
	"recultivated_farmland" numeric DEFAULT '0' NOT NULL,
	"major_farmland" numeric DEFAULT '0' NOT NULL,
	"major_legalised_farmland" numeric DEFAULT '0' NOT NULL,
	"major_recultivated_farmland" numeric DEFAULT '0' NOT NULL,
	"legal_major_farmland" numeric DEFAULT '0' NOT NULL,
	"construction_farmland" numeric DEFAULT '0' NOT NULL,
	"filed" bigint DEFAULT 0 NOT NULL,
	"sent_back" bigint DEFAULT 0 NOT NULL,
	"mineral_answered" bigint DEFAULT 0 NOT NULL,
	"mineral_present" bigint DEFAULT 0 NOT NULL,
	"mineral_illegal_count" bigint DEFAULT 0 NOT NULL,
	"mineral_illegal_area" numeric DEFAULT '0' NOT NULL,
	"mineral_beyond_count" bigint DEFAULT 0 NOT NULL,
	"mineral_beyond_area" numeric DEFAULT '0' NOT NULL,
	"mineral_cases" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "patch_statistics_rollup_county_code_issued_on_batch_code_source_military_pk" PRIMARY KEY("county_code","issued_on","batch_code","source","military")
);

--> statement-breakpoint
-- The statistics' rollup, kept by triggers in the same transaction as each write of patches (db/statistics-rollup.ts generates this SQL).
CREATE OR REPLACE FUNCTION patch_statistics_rollup_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  insert into patch_statistics_rollup as r (county_code, issued_on, batch_code, source, military, patch_count, issued, unmerged, military_count, verified_on_time, verified_late, verification_open, overdue_now, legal_count, legal_area, illegal_count, illegal_area, illegal_farmland, other_count, other_area, direct, reviewed, checked, concealed, province_checked, province_concealed, rectified_count, rectified_area, rectified_farmland, legalised_farmland, recultivated_farmland, major_farmland, major_legalised_farmland, major_recultivated_farmland, legal_major_farmland, construction_farmland, filed, sent_back, mineral_answered, mineral_present, mineral_illegal_count, mineral_illegal_area, mineral_beyond_count, mineral_beyond_area, mineral_cases)
    select county_code, issued_on, batch_code, source, military, sum(patch_count), sum(issued), sum(unmerged), sum(military_count), sum(verified_on_time), sum(verified_late), sum(verification_open), sum(overdue_now), sum(legal_count), sum(legal_area), sum(illegal_count), sum(illegal_area), sum(illegal_farmland), sum(other_count), sum(other_area), sum(direct), sum(reviewed), sum(checked), sum(concealed), sum(province_checked), sum(province_concealed), sum(rectified_count), sum(rectified_area), sum(rectified_farmland), sum(legalised_farmland), sum(recultivated_farmland), sum(major_farmland), sum(major_legalised_farmland), sum(major_recultivated_farmland), sum(legal_major_farmland), sum(construction_farmland), sum(filed), sum(sent_back), sum(mineral_answered), sum(mineral_present), sum(mineral_illegal_count), sum(mineral_illegal_area), sum(mineral_beyond_count), sum(mineral_beyond_area), sum(mineral_cases)
    from (select p.county_code, (p.issued_at at time zone 'Asia/Shanghai')::date as issued_on, coalesce(p.batch_code, '') as batch_code, p.source, p.military,
      case when true then 1 else 0 end as patch_count,
      case when p.parent_code is null and p.merged_from is null then 1 else 0 end as issued,
      case when p.merged_from is null then 1 else 0 end as unmerged,
      case when p.military then 1 else 0 end as military_count,
      case when p.verification_on_time then 1 else 0 end as verified_on_time,
      case when not p.verification_on_time then 1 else 0 end as verified_late,
      case when p.verification_on_time is null and not p.military and p.stage not in ('split', 'merged') then 1 else 0 end as verification_open,
      case when p.overdue and not p.military then 1 else 0 end as overdue_now,
      case when (not p.military and p.legality = 'legal') then 1 else 0 end as legal_count,
      case when (not p.military and p.legality = 'legal') then p.determined_area_mu::numeric else 0 end as legal_area,
      case when (not p.military and p.legality = 'illegal') then 1 else 0 end as illegal_count,
      case when (not p.military and p.legality = 'illegal') then p.determined_area_mu::numeric else 0 end as illegal_area,
      case when (not p.military and p.legality = 'illegal') then p.determined_farmland_mu::numeric else 0 end as illegal_farmland,
      case when (not p.military and p.legality = 'other') then 1 else 0 end as other_count,
      case when (not p.military and p.legality = 'other') then p.determined_area_mu::numeric else 0 end as other_area,
      case when p.direct_determination and not p.military then 1 else 0 end as direct,
      case when p.reviewed and not p.military then 1 else 0 end as reviewed,
      case when ((p.reviewed or p.onsite_checked) and not p.military) then 1 else 0 end as checked,
      case when p.concealed and not p.military and ((p.reviewed or p.onsite_checked) and not p.military) then 1 else 0 end as concealed,
      case when p.province_checked and not p.military then 1 else 0 end as province_checked,
      case when p.concealed and not p.military and p.province_found_illegal and p.province_checked then 1 else 0 end as province_concealed,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then 1 else 0 end as rectified_count,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then p.determined_area_mu::numeric else 0 end as rectified_area,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then p.determined_farmland_mu::numeric else 0 end as rectified_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'legalise' then p.determined_farmland_mu::numeric else 0 end as legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'demolish_recultivate' then p.determined_farmland_mu::numeric else 0 end as recultivated_farmland,
      case when (not p.military and p.legality = 'illegal') and p.major_infrastructure then p.determined_farmland_mu::numeric else 0 end as major_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'legalise' then p.determined_farmland_mu::numeric else 0 end as major_legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'demolish_recultivate' then p.determined_farmland_mu::numeric else 0 end as major_recultivated_farmland,
      case when (not p.military and p.legality = 'legal') and p.major_infrastructure then p.determined_farmland_mu::numeric else 0 end as legal_major_farmland,
      case when (not p.military and p.legality = 'illegal') or ((not p.military and p.legality = 'legal') and coalesce(p.determined_sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation')) then p.determined_farmland_mu::numeric else 0 end as construction_farmland,
      case when (p.verification_on_time is not null and not p.military) then 1 else 0 end as filed,
      case when (p.verification_on_time is not null and not p.military) and p.send_back_count > 0 then 1 else 0 end as sent_back,
      case when not p.military and p.mineral_finding is not null then 1 else 0 end as mineral_answered,
      case when p.mineral_present and not p.military then 1 else 0 end as mineral_present,
      case when not p.military and p.mineral_finding = 'illegal_mining' then 1 else 0 end as mineral_illegal_count,
      case when not p.military and p.mineral_finding = 'illegal_mining' then p.determined_area_mu::numeric else 0 end as mineral_illegal_area,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then 1 else 0 end as mineral_beyond_count,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then p.determined_area_mu::numeric else 0 end as mineral_beyond_area,
      case when p.mineral_case_no is not null and not p.military then 1 else 0 end as mineral_cases
    from new_patches p) d
    group by county_code, issued_on, batch_code, source, military
    having sum(patch_count) <> 0 or sum(issued) <> 0 or sum(unmerged) <> 0 or sum(military_count) <> 0 or sum(verified_on_time) <> 0 or sum(verified_late) <> 0 or sum(verification_open) <> 0 or sum(overdue_now) <> 0 or sum(legal_count) <> 0 or sum(legal_area) <> 0 or sum(illegal_count) <> 0 or sum(illegal_area) <> 0 or sum(illegal_farmland) <> 0 or sum(other_count) <> 0 or sum(other_area) <> 0 or sum(direct) <> 0 or sum(reviewed) <> 0 or sum(checked) <> 0 or sum(concealed) <> 0 or sum(province_checked) <> 0 or sum(province_concealed) <> 0 or sum(rectified_count) <> 0 or sum(rectified_area) <> 0 or sum(rectified_farmland) <> 0 or sum(legalised_farmland) <> 0 or sum(recultivated_farmland) <> 0 or sum(major_farmland) <> 0 or sum(major_legalised_farmland) <> 0 or sum(major_recultivated_farmland) <> 0 or sum(legal_major_farmland) <> 0 or sum(construction_farmland) <> 0 or sum(filed) <> 0 or sum(sent_back) <> 0 or sum(mineral_answered) <> 0 or sum(mineral_present) <> 0 or sum(mineral_illegal_count) <> 0 or sum(mineral_illegal_area) <> 0 or sum(mineral_beyond_count) <> 0 or sum(mineral_beyond_area) <> 0 or sum(mineral_cases) <> 0
    order by county_code, issued_on, batch_code, source, military
    on conflict (county_code, issued_on, batch_code, source, military) do update set patch_count = r.patch_count + excluded.patch_count, issued = r.issued + excluded.issued, unmerged = r.unmerged + excluded.unmerged, military_count = r.military_count + excluded.military_count, verified_on_time = r.verified_on_time + excluded.verified_on_time, verified_late = r.verified_late + excluded.verified_late, verification_open = r.verification_open + excluded.verification_open, overdue_now = r.overdue_now + excluded.overdue_now, legal_count = r.legal_count + excluded.legal_count, legal_area = r.legal_area + excluded.legal_area, illegal_count = r.illegal_count + excluded.illegal_count, illegal_area = r.illegal_area + excluded.illegal_area, illegal_farmland = r.illegal_farmland + excluded.illegal_farmland, other_count = r.other_count + excluded.other_count, other_area = r.other_area + excluded.other_area, direct = r.direct + excluded.direct, reviewed = r.reviewed + excluded.reviewed, checked = r.checked + excluded.checked, concealed = r.concealed + excluded.concealed, province_checked = r.province_checked + excluded.province_checked, province_concealed = r.province_concealed + excluded.province_concealed, rectified_count = r.rectified_count + excluded.rectified_count, rectified_area = r.rectified_area + excluded.rectified_area, rectified_farmland = r.rectified_farmland + excluded.rectified_farmland, legalised_farmland = r.legalised_farmland + excluded.legalised_farmland, recultivated_farmland = r.recultivated_farmland + excluded.recultivated_farmland, major_farmland = r.major_farmland + excluded.major_farmland, major_legalised_farmland = r.major_legalised_farmland + excluded.major_legalised_farmland, major_recultivated_farmland = r.major_recultivated_farmland + excluded.major_recultivated_farmland, legal_major_farmland = r.legal_major_farmland + excluded.legal_major_farmland, construction_farmland = r.construction_farmland + excluded.construction_farmland, filed = r.filed + excluded.filed, sent_back = r.sent_back + excluded.sent_back, mineral_answered = r.mineral_answered + excluded.mineral_answered, mineral_present = r.mineral_present + excluded.mineral_present, mineral_illegal_count = r.mineral_illegal_count + excluded.mineral_illegal_count, mineral_illegal_area = r.mineral_illegal_area + excluded.mineral_illegal_area, mineral_beyond_count = r.mineral_beyond_count + excluded.mineral_beyond_count, mineral_beyond_area = r.mineral_beyond_area + excluded.mineral_beyond_area, mineral_cases = r.mineral_cases + excluded.mineral_cases;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION patch_statistics_rollup_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  insert into patch_statistics_rollup as r (county_code, issued_on, batch_code, source, military, patch_count, issued, unmerged, military_count, verified_on_time, verified_late, verification_open, overdue_now, legal_count, legal_area, illegal_count, illegal_area, illegal_farmland, other_count, other_area, direct, reviewed, checked, concealed, province_checked, province_concealed, rectified_count, rectified_area, rectified_farmland, legalised_farmland, recultivated_farmland, major_farmland, major_legalised_farmland, major_recultivated_farmland, legal_major_farmland, construction_farmland, filed, sent_back, mineral_answered, mineral_present, mineral_illegal_count, mineral_illegal_area, mineral_beyond_count, mineral_beyond_area, mineral_cases)
    select county_code, issued_on, batch_code, source, military, sum(patch_count), sum(issued), sum(unmerged), sum(military_count), sum(verified_on_time), sum(verified_late), sum(verification_open), sum(overdue_now), sum(legal_count), sum(legal_area), sum(illegal_count), sum(illegal_area), sum(illegal_farmland), sum(other_count), sum(other_area), sum(direct), sum(reviewed), sum(checked), sum(concealed), sum(province_checked), sum(province_concealed), sum(rectified_count), sum(rectified_area), sum(rectified_farmland), sum(legalised_farmland), sum(recultivated_farmland), sum(major_farmland), sum(major_legalised_farmland), sum(major_recultivated_farmland), sum(legal_major_farmland), sum(construction_farmland), sum(filed), sum(sent_back), sum(mineral_answered), sum(mineral_present), sum(mineral_illegal_count), sum(mineral_illegal_area), sum(mineral_beyond_count), sum(mineral_beyond_area), sum(mineral_cases)
    from (select p.county_code, (p.issued_at at time zone 'Asia/Shanghai')::date as issued_on, coalesce(p.batch_code, '') as batch_code, p.source, p.military,
      case when true then 1 else 0 end as patch_count,
      case when p.parent_code is null and p.merged_from is null then 1 else 0 end as issued,
      case when p.merged_from is null then 1 else 0 end as unmerged,
      case when p.military then 1 else 0 end as military_count,
      case when p.verification_on_time then 1 else 0 end as verified_on_time,
      case when not p.verification_on_time then 1 else 0 end as verified_late,
      case when p.verification_on_time is null and not p.military and p.stage not in ('split', 'merged') then 1 else 0 end as verification_open,
      case when p.overdue and not p.military then 1 else 0 end as overdue_now,
      case when (not p.military and p.legality = 'legal') then 1 else 0 end as legal_count,
      case when (not p.military and p.legality = 'legal') then p.determined_area_mu::numeric else 0 end as legal_area,
      case when (not p.military and p.legality = 'illegal') then 1 else 0 end as illegal_count,
      case when (not p.military and p.legality = 'illegal') then p.determined_area_mu::numeric else 0 end as illegal_area,
      case when (not p.military and p.legality = 'illegal') then p.determined_farmland_mu::numeric else 0 end as illegal_farmland,
      case when (not p.military and p.legality = 'other') then 1 else 0 end as other_count,
      case when (not p.military and p.legality = 'other') then p.determined_area_mu::numeric else 0 end as other_area,
      case when p.direct_determination and not p.military then 1 else 0 end as direct,
      case when p.reviewed and not p.military then 1 else 0 end as reviewed,
      case when ((p.reviewed or p.onsite_checked) and not p.military) then 1 else 0 end as checked,
      case when p.concealed and not p.military and ((p.reviewed or p.onsite_checked) and not p.military) then 1 else 0 end as concealed,
      case when p.province_checked and not p.military then 1 else 0 end as province_checked,
      case when p.concealed and not p.military and p.province_found_illegal and p.province_checked then 1 else 0 end as province_concealed,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then 1 else 0 end as rectified_count,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then p.determined_area_mu::numeric else 0 end as rectified_area,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then p.determined_farmland_mu::numeric else 0 end as rectified_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'legalise' then p.determined_farmland_mu::numeric else 0 end as legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'demolish_recultivate' then p.determined_farmland_mu::numeric else 0 end as recultivated_farmland,
      case when (not p.military and p.legality = 'illegal') and p.major_infrastructure then p.determined_farmland_mu::numeric else 0 end as major_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'legalise' then p.determined_farmland_mu::numeric else 0 end as major_legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'demolish_recultivate' then p.determined_farmland_mu::numeric else 0 end as major_recultivated_farmland,
      case when (not p.military and p.legality = 'legal') and p.major_infrastructure then p.determined_farmland_mu::numeric else 0 end as legal_major_farmland,
      case when (not p.military and p.legality = 'illegal') or ((not p.military and p.legality = 'legal') and coalesce(p.determined_sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation')) then p.determined_farmland_mu::numeric else 0 end as construction_farmland,
      case when (p.verification_on_time is not null and not p.military) then 1 else 0 end as filed,
      case when (p.verification_on_time is not null and not p.military) and p.send_back_count > 0 then 1 else 0 end as sent_back,
      case when not p.military and p.mineral_finding is not null then 1 else 0 end as mineral_answered,
      case when p.mineral_present and not p.military then 1 else 0 end as mineral_present,
      case when not p.military and p.mineral_finding = 'illegal_mining' then 1 else 0 end as mineral_illegal_count,
      case when not p.military and p.mineral_finding = 'illegal_mining' then p.determined_area_mu::numeric else 0 end as mineral_illegal_area,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then 1 else 0 end as mineral_beyond_count,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then p.determined_area_mu::numeric else 0 end as mineral_beyond_area,
      case when p.mineral_case_no is not null and not p.military then 1 else 0 end as mineral_cases
    from new_patches p
    union all
    select p.county_code, (p.issued_at at time zone 'Asia/Shanghai')::date as issued_on, coalesce(p.batch_code, '') as batch_code, p.source, p.military,
      case when true then -1 else 0 end as patch_count,
      case when p.parent_code is null and p.merged_from is null then -1 else 0 end as issued,
      case when p.merged_from is null then -1 else 0 end as unmerged,
      case when p.military then -1 else 0 end as military_count,
      case when p.verification_on_time then -1 else 0 end as verified_on_time,
      case when not p.verification_on_time then -1 else 0 end as verified_late,
      case when p.verification_on_time is null and not p.military and p.stage not in ('split', 'merged') then -1 else 0 end as verification_open,
      case when p.overdue and not p.military then -1 else 0 end as overdue_now,
      case when (not p.military and p.legality = 'legal') then -1 else 0 end as legal_count,
      case when (not p.military and p.legality = 'legal') then -p.determined_area_mu::numeric else 0 end as legal_area,
      case when (not p.military and p.legality = 'illegal') then -1 else 0 end as illegal_count,
      case when (not p.military and p.legality = 'illegal') then -p.determined_area_mu::numeric else 0 end as illegal_area,
      case when (not p.military and p.legality = 'illegal') then -p.determined_farmland_mu::numeric else 0 end as illegal_farmland,
      case when (not p.military and p.legality = 'other') then -1 else 0 end as other_count,
      case when (not p.military and p.legality = 'other') then -p.determined_area_mu::numeric else 0 end as other_area,
      case when p.direct_determination and not p.military then -1 else 0 end as direct,
      case when p.reviewed and not p.military then -1 else 0 end as reviewed,
      case when ((p.reviewed or p.onsite_checked) and not p.military) then -1 else 0 end as checked,
      case when p.concealed and not p.military and ((p.reviewed or p.onsite_checked) and not p.military) then -1 else 0 end as concealed,
      case when p.province_checked and not p.military then -1 else 0 end as province_checked,
      case when p.concealed and not p.military and p.province_found_illegal and p.province_checked then -1 else 0 end as province_concealed,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then -1 else 0 end as rectified_count,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then -p.determined_area_mu::numeric else 0 end as rectified_area,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then -p.determined_farmland_mu::numeric else 0 end as rectified_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'legalise' then -p.determined_farmland_mu::numeric else 0 end as legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'demolish_recultivate' then -p.determined_farmland_mu::numeric else 0 end as recultivated_farmland,
      case when (not p.military and p.legality = 'illegal') and p.major_infrastructure then -p.determined_farmland_mu::numeric else 0 end as major_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'legalise' then -p.determined_farmland_mu::numeric else 0 end as major_legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'demolish_recultivate' then -p.determined_farmland_mu::numeric else 0 end as major_recultivated_farmland,
      case when (not p.military and p.legality = 'legal') and p.major_infrastructure then -p.determined_farmland_mu::numeric else 0 end as legal_major_farmland,
      case when (not p.military and p.legality = 'illegal') or ((not p.military and p.legality = 'legal') and coalesce(p.determined_sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation')) then -p.determined_farmland_mu::numeric else 0 end as construction_farmland,
      case when (p.verification_on_time is not null and not p.military) then -1 else 0 end as filed,
      case when (p.verification_on_time is not null and not p.military) and p.send_back_count > 0 then -1 else 0 end as sent_back,
      case when not p.military and p.mineral_finding is not null then -1 else 0 end as mineral_answered,
      case when p.mineral_present and not p.military then -1 else 0 end as mineral_present,
      case when not p.military and p.mineral_finding = 'illegal_mining' then -1 else 0 end as mineral_illegal_count,
      case when not p.military and p.mineral_finding = 'illegal_mining' then -p.determined_area_mu::numeric else 0 end as mineral_illegal_area,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then -1 else 0 end as mineral_beyond_count,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then -p.determined_area_mu::numeric else 0 end as mineral_beyond_area,
      case when p.mineral_case_no is not null and not p.military then -1 else 0 end as mineral_cases
    from old_patches p) d
    group by county_code, issued_on, batch_code, source, military
    having sum(patch_count) <> 0 or sum(issued) <> 0 or sum(unmerged) <> 0 or sum(military_count) <> 0 or sum(verified_on_time) <> 0 or sum(verified_late) <> 0 or sum(verification_open) <> 0 or sum(overdue_now) <> 0 or sum(legal_count) <> 0 or sum(legal_area) <> 0 or sum(illegal_count) <> 0 or sum(illegal_area) <> 0 or sum(illegal_farmland) <> 0 or sum(other_count) <> 0 or sum(other_area) <> 0 or sum(direct) <> 0 or sum(reviewed) <> 0 or sum(checked) <> 0 or sum(concealed) <> 0 or sum(province_checked) <> 0 or sum(province_concealed) <> 0 or sum(rectified_count) <> 0 or sum(rectified_area) <> 0 or sum(rectified_farmland) <> 0 or sum(legalised_farmland) <> 0 or sum(recultivated_farmland) <> 0 or sum(major_farmland) <> 0 or sum(major_legalised_farmland) <> 0 or sum(major_recultivated_farmland) <> 0 or sum(legal_major_farmland) <> 0 or sum(construction_farmland) <> 0 or sum(filed) <> 0 or sum(sent_back) <> 0 or sum(mineral_answered) <> 0 or sum(mineral_present) <> 0 or sum(mineral_illegal_count) <> 0 or sum(mineral_illegal_area) <> 0 or sum(mineral_beyond_count) <> 0 or sum(mineral_beyond_area) <> 0 or sum(mineral_cases) <> 0
    order by county_code, issued_on, batch_code, source, military
    on conflict (county_code, issued_on, batch_code, source, military) do update set patch_count = r.patch_count + excluded.patch_count, issued = r.issued + excluded.issued, unmerged = r.unmerged + excluded.unmerged, military_count = r.military_count + excluded.military_count, verified_on_time = r.verified_on_time + excluded.verified_on_time, verified_late = r.verified_late + excluded.verified_late, verification_open = r.verification_open + excluded.verification_open, overdue_now = r.overdue_now + excluded.overdue_now, legal_count = r.legal_count + excluded.legal_count, legal_area = r.legal_area + excluded.legal_area, illegal_count = r.illegal_count + excluded.illegal_count, illegal_area = r.illegal_area + excluded.illegal_area, illegal_farmland = r.illegal_farmland + excluded.illegal_farmland, other_count = r.other_count + excluded.other_count, other_area = r.other_area + excluded.other_area, direct = r.direct + excluded.direct, reviewed = r.reviewed + excluded.reviewed, checked = r.checked + excluded.checked, concealed = r.concealed + excluded.concealed, province_checked = r.province_checked + excluded.province_checked, province_concealed = r.province_concealed + excluded.province_concealed, rectified_count = r.rectified_count + excluded.rectified_count, rectified_area = r.rectified_area + excluded.rectified_area, rectified_farmland = r.rectified_farmland + excluded.rectified_farmland, legalised_farmland = r.legalised_farmland + excluded.legalised_farmland, recultivated_farmland = r.recultivated_farmland + excluded.recultivated_farmland, major_farmland = r.major_farmland + excluded.major_farmland, major_legalised_farmland = r.major_legalised_farmland + excluded.major_legalised_farmland, major_recultivated_farmland = r.major_recultivated_farmland + excluded.major_recultivated_farmland, legal_major_farmland = r.legal_major_farmland + excluded.legal_major_farmland, construction_farmland = r.construction_farmland + excluded.construction_farmland, filed = r.filed + excluded.filed, sent_back = r.sent_back + excluded.sent_back, mineral_answered = r.mineral_answered + excluded.mineral_answered, mineral_present = r.mineral_present + excluded.mineral_present, mineral_illegal_count = r.mineral_illegal_count + excluded.mineral_illegal_count, mineral_illegal_area = r.mineral_illegal_area + excluded.mineral_illegal_area, mineral_beyond_count = r.mineral_beyond_count + excluded.mineral_beyond_count, mineral_beyond_area = r.mineral_beyond_area + excluded.mineral_beyond_area, mineral_cases = r.mineral_cases + excluded.mineral_cases;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION patch_statistics_rollup_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  insert into patch_statistics_rollup as r (county_code, issued_on, batch_code, source, military, patch_count, issued, unmerged, military_count, verified_on_time, verified_late, verification_open, overdue_now, legal_count, legal_area, illegal_count, illegal_area, illegal_farmland, other_count, other_area, direct, reviewed, checked, concealed, province_checked, province_concealed, rectified_count, rectified_area, rectified_farmland, legalised_farmland, recultivated_farmland, major_farmland, major_legalised_farmland, major_recultivated_farmland, legal_major_farmland, construction_farmland, filed, sent_back, mineral_answered, mineral_present, mineral_illegal_count, mineral_illegal_area, mineral_beyond_count, mineral_beyond_area, mineral_cases)
    select county_code, issued_on, batch_code, source, military, sum(patch_count), sum(issued), sum(unmerged), sum(military_count), sum(verified_on_time), sum(verified_late), sum(verification_open), sum(overdue_now), sum(legal_count), sum(legal_area), sum(illegal_count), sum(illegal_area), sum(illegal_farmland), sum(other_count), sum(other_area), sum(direct), sum(reviewed), sum(checked), sum(concealed), sum(province_checked), sum(province_concealed), sum(rectified_count), sum(rectified_area), sum(rectified_farmland), sum(legalised_farmland), sum(recultivated_farmland), sum(major_farmland), sum(major_legalised_farmland), sum(major_recultivated_farmland), sum(legal_major_farmland), sum(construction_farmland), sum(filed), sum(sent_back), sum(mineral_answered), sum(mineral_present), sum(mineral_illegal_count), sum(mineral_illegal_area), sum(mineral_beyond_count), sum(mineral_beyond_area), sum(mineral_cases)
    from (select p.county_code, (p.issued_at at time zone 'Asia/Shanghai')::date as issued_on, coalesce(p.batch_code, '') as batch_code, p.source, p.military,
      case when true then -1 else 0 end as patch_count,
      case when p.parent_code is null and p.merged_from is null then -1 else 0 end as issued,
      case when p.merged_from is null then -1 else 0 end as unmerged,
      case when p.military then -1 else 0 end as military_count,
      case when p.verification_on_time then -1 else 0 end as verified_on_time,
      case when not p.verification_on_time then -1 else 0 end as verified_late,
      case when p.verification_on_time is null and not p.military and p.stage not in ('split', 'merged') then -1 else 0 end as verification_open,
      case when p.overdue and not p.military then -1 else 0 end as overdue_now,
      case when (not p.military and p.legality = 'legal') then -1 else 0 end as legal_count,
      case when (not p.military and p.legality = 'legal') then -p.determined_area_mu::numeric else 0 end as legal_area,
      case when (not p.military and p.legality = 'illegal') then -1 else 0 end as illegal_count,
      case when (not p.military and p.legality = 'illegal') then -p.determined_area_mu::numeric else 0 end as illegal_area,
      case when (not p.military and p.legality = 'illegal') then -p.determined_farmland_mu::numeric else 0 end as illegal_farmland,
      case when (not p.military and p.legality = 'other') then -1 else 0 end as other_count,
      case when (not p.military and p.legality = 'other') then -p.determined_area_mu::numeric else 0 end as other_area,
      case when p.direct_determination and not p.military then -1 else 0 end as direct,
      case when p.reviewed and not p.military then -1 else 0 end as reviewed,
      case when ((p.reviewed or p.onsite_checked) and not p.military) then -1 else 0 end as checked,
      case when p.concealed and not p.military and ((p.reviewed or p.onsite_checked) and not p.military) then -1 else 0 end as concealed,
      case when p.province_checked and not p.military then -1 else 0 end as province_checked,
      case when p.concealed and not p.military and p.province_found_illegal and p.province_checked then -1 else 0 end as province_concealed,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then -1 else 0 end as rectified_count,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then -p.determined_area_mu::numeric else 0 end as rectified_area,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then -p.determined_farmland_mu::numeric else 0 end as rectified_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'legalise' then -p.determined_farmland_mu::numeric else 0 end as legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'demolish_recultivate' then -p.determined_farmland_mu::numeric else 0 end as recultivated_farmland,
      case when (not p.military and p.legality = 'illegal') and p.major_infrastructure then -p.determined_farmland_mu::numeric else 0 end as major_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'legalise' then -p.determined_farmland_mu::numeric else 0 end as major_legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'demolish_recultivate' then -p.determined_farmland_mu::numeric else 0 end as major_recultivated_farmland,
      case when (not p.military and p.legality = 'legal') and p.major_infrastructure then -p.determined_farmland_mu::numeric else 0 end as legal_major_farmland,
      case when (not p.military and p.legality = 'illegal') or ((not p.military and p.legality = 'legal') and coalesce(p.determined_sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation')) then -p.determined_farmland_mu::numeric else 0 end as construction_farmland,
      case when (p.verification_on_time is not null and not p.military) then -1 else 0 end as filed,
      case when (p.verification_on_time is not null and not p.military) and p.send_back_count > 0 then -1 else 0 end as sent_back,
      case when not p.military and p.mineral_finding is not null then -1 else 0 end as mineral_answered,
      case when p.mineral_present and not p.military then -1 else 0 end as mineral_present,
      case when not p.military and p.mineral_finding = 'illegal_mining' then -1 else 0 end as mineral_illegal_count,
      case when not p.military and p.mineral_finding = 'illegal_mining' then -p.determined_area_mu::numeric else 0 end as mineral_illegal_area,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then -1 else 0 end as mineral_beyond_count,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then -p.determined_area_mu::numeric else 0 end as mineral_beyond_area,
      case when p.mineral_case_no is not null and not p.military then -1 else 0 end as mineral_cases
    from old_patches p) d
    group by county_code, issued_on, batch_code, source, military
    having sum(patch_count) <> 0 or sum(issued) <> 0 or sum(unmerged) <> 0 or sum(military_count) <> 0 or sum(verified_on_time) <> 0 or sum(verified_late) <> 0 or sum(verification_open) <> 0 or sum(overdue_now) <> 0 or sum(legal_count) <> 0 or sum(legal_area) <> 0 or sum(illegal_count) <> 0 or sum(illegal_area) <> 0 or sum(illegal_farmland) <> 0 or sum(other_count) <> 0 or sum(other_area) <> 0 or sum(direct) <> 0 or sum(reviewed) <> 0 or sum(checked) <> 0 or sum(concealed) <> 0 or sum(province_checked) <> 0 or sum(province_concealed) <> 0 or sum(rectified_count) <> 0 or sum(rectified_area) <> 0 or sum(rectified_farmland) <> 0 or sum(legalised_farmland) <> 0 or sum(recultivated_farmland) <> 0 or sum(major_farmland) <> 0 or sum(major_legalised_farmland) <> 0 or sum(major_recultivated_farmland) <> 0 or sum(legal_major_farmland) <> 0 or sum(construction_farmland) <> 0 or sum(filed) <> 0 or sum(sent_back) <> 0 or sum(mineral_answered) <> 0 or sum(mineral_present) <> 0 or sum(mineral_illegal_count) <> 0 or sum(mineral_illegal_area) <> 0 or sum(mineral_beyond_count) <> 0 or sum(mineral_beyond_area) <> 0 or sum(mineral_cases) <> 0
    order by county_code, issued_on, batch_code, source, military
    on conflict (county_code, issued_on, batch_code, source, military) do update set patch_count = r.patch_count + excluded.patch_count, issued = r.issued + excluded.issued, unmerged = r.unmerged + excluded.unmerged, military_count = r.military_count + excluded.military_count, verified_on_time = r.verified_on_time + excluded.verified_on_time, verified_late = r.verified_late + excluded.verified_late, verification_open = r.verification_open + excluded.verification_open, overdue_now = r.overdue_now + excluded.overdue_now, legal_count = r.legal_count + excluded.legal_count, legal_area = r.legal_area + excluded.legal_area, illegal_count = r.illegal_count + excluded.illegal_count, illegal_area = r.illegal_area + excluded.illegal_area, illegal_farmland = r.illegal_farmland + excluded.illegal_farmland, other_count = r.other_count + excluded.other_count, other_area = r.other_area + excluded.other_area, direct = r.direct + excluded.direct, reviewed = r.reviewed + excluded.reviewed, checked = r.checked + excluded.checked, concealed = r.concealed + excluded.concealed, province_checked = r.province_checked + excluded.province_checked, province_concealed = r.province_concealed + excluded.province_concealed, rectified_count = r.rectified_count + excluded.rectified_count, rectified_area = r.rectified_area + excluded.rectified_area, rectified_farmland = r.rectified_farmland + excluded.rectified_farmland, legalised_farmland = r.legalised_farmland + excluded.legalised_farmland, recultivated_farmland = r.recultivated_farmland + excluded.recultivated_farmland, major_farmland = r.major_farmland + excluded.major_farmland, major_legalised_farmland = r.major_legalised_farmland + excluded.major_legalised_farmland, major_recultivated_farmland = r.major_recultivated_farmland + excluded.major_recultivated_farmland, legal_major_farmland = r.legal_major_farmland + excluded.legal_major_farmland, construction_farmland = r.construction_farmland + excluded.construction_farmland, filed = r.filed + excluded.filed, sent_back = r.sent_back + excluded.sent_back, mineral_answered = r.mineral_answered + excluded.mineral_answered, mineral_present = r.mineral_present + excluded.mineral_present, mineral_illegal_count = r.mineral_illegal_count + excluded.mineral_illegal_count, mineral_illegal_area = r.mineral_illegal_area + excluded.mineral_illegal_area, mineral_beyond_count = r.mineral_beyond_count + excluded.mineral_beyond_count, mineral_beyond_area = r.mineral_beyond_area + excluded.mineral_beyond_area, mineral_cases = r.mineral_cases + excluded.mineral_cases;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION patch_statistics_rollup_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE patch_statistics_rollup;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER patch_statistics_rollup_insert AFTER INSERT ON patches REFERENCING NEW TABLE AS new_patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_insert();
--> statement-breakpoint
CREATE TRIGGER patch_statistics_rollup_update AFTER UPDATE ON patches REFERENCING OLD TABLE AS old_patches NEW TABLE AS new_patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_update();
--> statement-breakpoint
CREATE TRIGGER patch_statistics_rollup_delete AFTER DELETE ON patches REFERENCING OLD TABLE AS old_patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_delete();
--> statement-breakpoint
CREATE TRIGGER patch_statistics_rollup_truncate AFTER TRUNCATE ON patches FOR EACH STATEMENT EXECUTE FUNCTION patch_statistics_rollup_truncate();
--> statement-breakpoint
LOCK TABLE patches IN SHARE MODE;
--> statement-breakpoint
DELETE FROM patch_statistics_rollup;
--> statement-breakpoint
insert into patch_statistics_rollup as r (county_code, issued_on, batch_code, source, military, patch_count, issued, unmerged, military_count, verified_on_time, verified_late, verification_open, overdue_now, legal_count, legal_area, illegal_count, illegal_area, illegal_farmland, other_count, other_area, direct, reviewed, checked, concealed, province_checked, province_concealed, rectified_count, rectified_area, rectified_farmland, legalised_farmland, recultivated_farmland, major_farmland, major_legalised_farmland, major_recultivated_farmland, legal_major_farmland, construction_farmland, filed, sent_back, mineral_answered, mineral_present, mineral_illegal_count, mineral_illegal_area, mineral_beyond_count, mineral_beyond_area, mineral_cases)
    select county_code, issued_on, batch_code, source, military, sum(patch_count), sum(issued), sum(unmerged), sum(military_count), sum(verified_on_time), sum(verified_late), sum(verification_open), sum(overdue_now), sum(legal_count), sum(legal_area), sum(illegal_count), sum(illegal_area), sum(illegal_farmland), sum(other_count), sum(other_area), sum(direct), sum(reviewed), sum(checked), sum(concealed), sum(province_checked), sum(province_concealed), sum(rectified_count), sum(rectified_area), sum(rectified_farmland), sum(legalised_farmland), sum(recultivated_farmland), sum(major_farmland), sum(major_legalised_farmland), sum(major_recultivated_farmland), sum(legal_major_farmland), sum(construction_farmland), sum(filed), sum(sent_back), sum(mineral_answered), sum(mineral_present), sum(mineral_illegal_count), sum(mineral_illegal_area), sum(mineral_beyond_count), sum(mineral_beyond_area), sum(mineral_cases)
    from (select p.county_code, (p.issued_at at time zone 'Asia/Shanghai')::date as issued_on, coalesce(p.batch_code, '') as batch_code, p.source, p.military,
      case when true then 1 else 0 end as patch_count,
      case when p.parent_code is null and p.merged_from is null then 1 else 0 end as issued,
      case when p.merged_from is null then 1 else 0 end as unmerged,
      case when p.military then 1 else 0 end as military_count,
      case when p.verification_on_time then 1 else 0 end as verified_on_time,
      case when not p.verification_on_time then 1 else 0 end as verified_late,
      case when p.verification_on_time is null and not p.military and p.stage not in ('split', 'merged') then 1 else 0 end as verification_open,
      case when p.overdue and not p.military then 1 else 0 end as overdue_now,
      case when (not p.military and p.legality = 'legal') then 1 else 0 end as legal_count,
      case when (not p.military and p.legality = 'legal') then p.determined_area_mu::numeric else 0 end as legal_area,
      case when (not p.military and p.legality = 'illegal') then 1 else 0 end as illegal_count,
      case when (not p.military and p.legality = 'illegal') then p.determined_area_mu::numeric else 0 end as illegal_area,
      case when (not p.military and p.legality = 'illegal') then p.determined_farmland_mu::numeric else 0 end as illegal_farmland,
      case when (not p.military and p.legality = 'other') then 1 else 0 end as other_count,
      case when (not p.military and p.legality = 'other') then p.determined_area_mu::numeric else 0 end as other_area,
      case when p.direct_determination and not p.military then 1 else 0 end as direct,
      case when p.reviewed and not p.military then 1 else 0 end as reviewed,
      case when ((p.reviewed or p.onsite_checked) and not p.military) then 1 else 0 end as checked,
      case when p.concealed and not p.military and ((p.reviewed or p.onsite_checked) and not p.military) then 1 else 0 end as concealed,
      case when p.province_checked and not p.military then 1 else 0 end as province_checked,
      case when p.concealed and not p.military and p.province_found_illegal and p.province_checked then 1 else 0 end as province_concealed,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then 1 else 0 end as rectified_count,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then p.determined_area_mu::numeric else 0 end as rectified_area,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) then p.determined_farmland_mu::numeric else 0 end as rectified_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'legalise' then p.determined_farmland_mu::numeric else 0 end as legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.rectification_path = 'demolish_recultivate' then p.determined_farmland_mu::numeric else 0 end as recultivated_farmland,
      case when (not p.military and p.legality = 'illegal') and p.major_infrastructure then p.determined_farmland_mu::numeric else 0 end as major_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'legalise' then p.determined_farmland_mu::numeric else 0 end as major_legalised_farmland,
      case when ((not p.military and p.legality = 'illegal') and p.rectified) and p.major_infrastructure and p.rectification_path = 'demolish_recultivate' then p.determined_farmland_mu::numeric else 0 end as major_recultivated_farmland,
      case when (not p.military and p.legality = 'legal') and p.major_infrastructure then p.determined_farmland_mu::numeric else 0 end as legal_major_farmland,
      case when (not p.military and p.legality = 'illegal') or ((not p.military and p.legality = 'legal') and coalesce(p.determined_sub_type, '') not in ('facility_agriculture', 'temporary_land', 'land_consolidation')) then p.determined_farmland_mu::numeric else 0 end as construction_farmland,
      case when (p.verification_on_time is not null and not p.military) then 1 else 0 end as filed,
      case when (p.verification_on_time is not null and not p.military) and p.send_back_count > 0 then 1 else 0 end as sent_back,
      case when not p.military and p.mineral_finding is not null then 1 else 0 end as mineral_answered,
      case when p.mineral_present and not p.military then 1 else 0 end as mineral_present,
      case when not p.military and p.mineral_finding = 'illegal_mining' then 1 else 0 end as mineral_illegal_count,
      case when not p.military and p.mineral_finding = 'illegal_mining' then p.determined_area_mu::numeric else 0 end as mineral_illegal_area,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then 1 else 0 end as mineral_beyond_count,
      case when not p.military and p.mineral_finding = 'beyond_boundary' then p.determined_area_mu::numeric else 0 end as mineral_beyond_area,
      case when p.mineral_case_no is not null and not p.military then 1 else 0 end as mineral_cases
    from patches p) d
    group by county_code, issued_on, batch_code, source, military
    having sum(patch_count) <> 0 or sum(issued) <> 0 or sum(unmerged) <> 0 or sum(military_count) <> 0 or sum(verified_on_time) <> 0 or sum(verified_late) <> 0 or sum(verification_open) <> 0 or sum(overdue_now) <> 0 or sum(legal_count) <> 0 or sum(legal_area) <> 0 or sum(illegal_count) <> 0 or sum(illegal_area) <> 0 or sum(illegal_farmland) <> 0 or sum(other_count) <> 0 or sum(other_area) <> 0 or sum(direct) <> 0 or sum(reviewed) <> 0 or sum(checked) <> 0 or sum(concealed) <> 0 or sum(province_checked) <> 0 or sum(province_concealed) <> 0 or sum(rectified_count) <> 0 or sum(rectified_area) <> 0 or sum(rectified_farmland) <> 0 or sum(legalised_farmland) <> 0 or sum(recultivated_farmland) <> 0 or sum(major_farmland) <> 0 or sum(major_legalised_farmland) <> 0 or sum(major_recultivated_farmland) <> 0 or sum(legal_major_farmland) <> 0 or sum(construction_farmland) <> 0 or sum(filed) <> 0 or sum(sent_back) <> 0 or sum(mineral_answered) <> 0 or sum(mineral_present) <> 0 or sum(mineral_illegal_count) <> 0 or sum(mineral_illegal_area) <> 0 or sum(mineral_beyond_count) <> 0 or sum(mineral_beyond_area) <> 0 or sum(mineral_cases) <> 0
    order by county_code, issued_on, batch_code, source, military
    on conflict (county_code, issued_on, batch_code, source, military) do update set patch_count = r.patch_count + excluded.patch_count, issued = r.issued + excluded.issued, unmerged = r.unmerged + excluded.unmerged, military_count = r.military_count + excluded.military_count, verified_on_time = r.verified_on_time + excluded.verified_on_time, verified_late = r.verified_late + excluded.verified_late, verification_open = r.verification_open + excluded.verification_open, overdue_now = r.overdue_now + excluded.overdue_now, legal_count = r.legal_count + excluded.legal_count, legal_area = r.legal_area + excluded.legal_area, illegal_count = r.illegal_count + excluded.illegal_count, illegal_area = r.illegal_area + excluded.illegal_area, illegal_farmland = r.illegal_farmland + excluded.illegal_farmland, other_count = r.other_count + excluded.other_count, other_area = r.other_area + excluded.other_area, direct = r.direct + excluded.direct, reviewed = r.reviewed + excluded.reviewed, checked = r.checked + excluded.checked, concealed = r.concealed + excluded.concealed, province_checked = r.province_checked + excluded.province_checked, province_concealed = r.province_concealed + excluded.province_concealed, rectified_count = r.rectified_count + excluded.rectified_count, rectified_area = r.rectified_area + excluded.rectified_area, rectified_farmland = r.rectified_farmland + excluded.rectified_farmland, legalised_farmland = r.legalised_farmland + excluded.legalised_farmland, recultivated_farmland = r.recultivated_farmland + excluded.recultivated_farmland, major_farmland = r.major_farmland + excluded.major_farmland, major_legalised_farmland = r.major_legalised_farmland + excluded.major_legalised_farmland, major_recultivated_farmland = r.major_recultivated_farmland + excluded.major_recultivated_farmland, legal_major_farmland = r.legal_major_farmland + excluded.legal_major_farmland, construction_farmland = r.construction_farmland + excluded.construction_farmland, filed = r.filed + excluded.filed, sent_back = r.sent_back + excluded.sent_back, mineral_answered = r.mineral_answered + excluded.mineral_answered, mineral_present = r.mineral_present + excluded.mineral_present, mineral_illegal_count = r.mineral_illegal_count + excluded.mineral_illegal_count, mineral_illegal_area = r.mineral_illegal_area + excluded.mineral_illegal_area, mineral_beyond_count = r.mineral_beyond_count + excluded.mineral_beyond_count, mineral_beyond_area = r.mineral_beyond_area + excluded.mineral_beyond_area, mineral_cases = r.mineral_cases + excluded.mineral_cases;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "patches_rectified_idx" ON "patches" USING btree ("county_code", "issued_at") INCLUDE ("source", "military", "legality", "rectified", "rectification_path", "case_no", "determined_area_mu", "determined_farmland_mu", "major_infrastructure") WHERE rectified;
