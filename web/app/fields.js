// fields.js - the record fields shown in the interface, by part, with the
// vocabulary scheme of coded ones (docs/native-csv.md, src/lib/fields.c).
// Labels are i18n keys "f_PART_NAME" (or "f_NAME" shared by several parts).

export const PARTS = {
  event: [
    ['start_date', 'date'], ['end_date', 'date'], ['country', 'country'], ['admin1', 'admin1'],
    ['district'], ['place'], ['latitude'], ['longitude'], ['status'], ['confidentiality', 'enum'],
    ['key'], ['org']
  ],
  act: [
    ['start_date', 'date'], ['end_date', 'date'], ['country', 'country'], ['admin1', 'admin1'],
    ['place'], ['reason'], ['end_status']
  ],
  arrest: [
    ['authority'], ['reason_given'], ['documents_held'], ['money_demanded', 'money'],
    ['money_paid', 'money']
  ],
  detention: [
    ['facility_type', 'facility_type'], ['facility_name'], ['legal_counsel', 'bool'],
    ['consular_access', 'bool'], ['conditions']
  ],
  deportation: [
    ['route'], ['checkpoint', 'checkpoint'], ['formal', 'bool'], ['handed_to'], ['cost', 'money']
  ],
  return: [['receiving_org'], ['support']],
  perpetrator: [['type', 'perpetrator_type'], ['name'], ['degree']],
  victim: [
    ['unit', 'enum'], ['group_size'], ['name'], ['other_names'], ['sex', 'sex'],
    ['birth_date', 'date'], ['nationality', 'country'], ['ethnicity'], ['languages'],
    ['doc_status', 'doc_status'], ['occupation'], ['sector', 'sector'], ['child', 'bool'],
    ['guardian'], ['contact'], ['health'], ['key']
  ],
  source: [
    ['kind', 'source_kind'], ['name'], ['url', 'url'], ['reliability'], ['date', 'date'], ['language']
  ],
  intervention: [
    ['type', 'intervention_type'], ['org'], ['start_date', 'date'], ['end_date', 'date'],
    ['response'], ['status'], ['compensation', 'money'], ['victim']
  ]
};

// Sensitive fields, marked in the view (encrypted at rest).
export const SECRET = { name: 1, other_names: 1, contact: 1, health: 1, narrative: 1 };

export const SCHEMES = ['country', 'admin1', 'act_type', 'perpetrator_type', 'facility_type',
  'checkpoint', 'sex', 'doc_status', 'sector', 'intervention_type', 'source_kind'];

// The detail part of an act type ("return_reception" -> "return").
export function detailPart(type) {
  switch (type) {
    case 'arrest': return 'arrest';
    case 'detention': return 'detention';
    case 'deportation':
    case 'push_back': return 'deportation';
    case 'return_reception': return 'return';
    default: return '';
  }
}

// The guided sequence: arrest -> detention -> deportation -> return.
export const SEQUENCE = ['arrest', 'detention', 'deportation', 'return_reception'];

export function nextInSequence(type) {
  if (type === 'push_back') return 'return_reception';
  const i = SEQUENCE.indexOf(type);
  return i >= 0 && i < SEQUENCE.length - 1 ? SEQUENCE[i + 1] : '';
}
