/**
 * Nurseries (托育机构): what the health bureau registers, and the seed set for 乐清市's townships.
 * Licensed places per age class are what the 4.5-places-per-1,000-residents indicator counts;
 * an intake (term × class) offers some of them with its own capacity and allocation mode.
 * Names, addresses and figures are realistic demo data; admins maintain the real register.
 */

import type { ClassId } from '#services/childcare-slot/classes';
import { type I18nText, t } from '../../core/i18n.ts';

export const nurseryTypes = ['public', 'inclusive', 'private'] as const;
export type NurseryType = (typeof nurseryTypes)[number];

export const nurseryTypeNames: Record<NurseryType, I18nText> = {
  public: t('公办', 'Public'),
  inclusive: t('普惠', 'Inclusive (subsidised)'),
  private: t('民办', 'Private'),
};

export interface Nursery {
  id: string;
  name: I18nText;
  township: string;
  address: string;
  /** 托育机构备案号 */
  licenceNumber: string;
  type: NurseryType;
  /** licensed places per age class offered (absent class: not offered) */
  places: Partial<Record<ClassId, number>>;
}

export type IntakeMode = 'rolling' | 'round';

/** The planning target: childcare places for children under 3 per 1,000 residents (2025). */
export const PLACES_PER_1000_TARGET = 4.5;

const n = (
  id: string,
  zh: string,
  en: string,
  township: string,
  address: string,
  seq: number,
  type: NurseryType,
  places: Partial<Record<ClassId, number>>,
): Nursery => ({
  id,
  name: t(zh, en),
  township,
  address,
  licenceNumber: `330382TY${2021 + (seq % 4)}${String(seq).padStart(3, '0')}`,
  type,
  places,
});

export const seedNurseries: Nursery[] = [
  n(
    'lecheng-jiguan',
    '乐清市机关托育园',
    'Yueqing Civic Nursery',
    'lecheng',
    '乐成街道伯乐东路 88 号',
    1,
    'public',
    { infant: 10, toddler: 45, 'older-toddler': 60 },
  ),
  n(
    'lecheng-puhui',
    '乐成街道普惠托育中心',
    'Lecheng Inclusive Childcare Centre',
    'lecheng',
    '乐成街道宁康西路 216 号',
    2,
    'inclusive',
    { infant: 10, toddler: 30, 'older-toddler': 40 },
  ),
  n(
    'lecheng-xiaotianshi',
    '乐清市小天使托育园',
    'Little Angels Nursery',
    'lecheng',
    '乐成街道旭阳路 1088 号',
    3,
    'private',
    { toddler: 30, 'older-toddler': 40 },
  ),
  n(
    'chengdong-gongban',
    '城东街道公办托育园',
    'Chengdong Public Nursery',
    'chengdong',
    '城东街道双雁路 512 号',
    4,
    'public',
    { infant: 10, toddler: 30, 'older-toddler': 40 },
  ),
  n(
    'chengdong-fuyou',
    '乐清市妇幼保健院托育园',
    'Maternal and Child Health Hospital Nursery',
    'chengdong',
    '城东街道晨曦路 1 号',
    5,
    'inclusive',
    { infant: 20, toddler: 30 },
  ),
  n(
    'chengnan-puhui',
    '城南街道普惠托育中心',
    'Chengnan Inclusive Childcare Centre',
    'chengnan',
    '城南街道千帆东路 99 号',
    6,
    'inclusive',
    { infant: 10, toddler: 30, 'older-toddler': 40 },
  ),
  n(
    'chengnan-tongxin',
    '乐清市童心托育园',
    'Tongxin Nursery',
    'chengnan',
    '城南街道清和路 36 号',
    7,
    'private',
    { toddler: 15, 'older-toddler': 40 },
  ),
  n(
    'yanpen-shequ',
    '盐盆街道社区托育点',
    'Yanpen Community Nursery',
    'yanpen',
    '盐盆街道盐盆村文化礼堂',
    8,
    'inclusive',
    { toddler: 15, 'older-toddler': 20 },
  ),
  n(
    'wengyang-puhui',
    '翁垟街道普惠托育中心',
    'Wengyang Inclusive Childcare Centre',
    'wengyang',
    '翁垟街道中心大道 300 号',
    9,
    'inclusive',
    { infant: 10, toddler: 30, 'older-toddler': 40 },
  ),
  n('baishi-tuoyu', '白石街道托育园', 'Baishi Nursery', 'baishi', '白石街道中雁路 58 号', 10, 'inclusive', {
    toddler: 15,
    'older-toddler': 40,
  }),
  n(
    'shifan-shequ',
    '石帆街道社区托育点',
    'Shifan Community Nursery',
    'shifan',
    '石帆街道朴湖村 1 号楼',
    11,
    'inclusive',
    { toddler: 15, 'older-toddler': 20 },
  ),
  n(
    'tiancheng-xiaoxiang',
    '天成街道小橡树托育园',
    'Little Oak Nursery',
    'tiancheng',
    '天成街道天成路 168 号',
    12,
    'private',
    { toddler: 15, 'older-toddler': 20 },
  ),
  n(
    'liushi-gongban',
    '柳市镇公办托育园',
    'Liushi Public Nursery',
    'liushi',
    '柳市镇柳青北路 200 号',
    13,
    'public',
    { infant: 20, toddler: 45, 'older-toddler': 80 },
  ),
  n(
    'liushi-puhui',
    '柳市镇普惠托育中心',
    'Liushi Inclusive Childcare Centre',
    'liushi',
    '柳市镇新市街 77 号',
    14,
    'inclusive',
    { infant: 10, toddler: 45, 'older-toddler': 60 },
  ),
  n('liushi-beibei', '柳市镇贝贝托育园', 'Beibei Nursery', 'liushi', '柳市镇智广路 18 号', 15, 'private', {
    toddler: 30,
    'older-toddler': 40,
  }),
  n(
    'liushi-changhong',
    '柳市镇长虹社区托育点',
    'Changhong Community Nursery',
    'liushi',
    '柳市镇长虹村便民服务中心',
    16,
    'inclusive',
    { toddler: 15, 'older-toddler': 20 },
  ),
  n(
    'beibaixiang-puhui',
    '北白象镇普惠托育中心',
    'Beibaixiang Inclusive Childcare Centre',
    'beibaixiang',
    '北白象镇磐石路 66 号',
    17,
    'inclusive',
    { infant: 10, toddler: 30, 'older-toddler': 40 },
  ),
  n(
    'beibaixiang-xiaoxiangguo',
    '北白象镇小橡果托育园',
    'Little Acorn Nursery',
    'beibaixiang',
    '北白象镇象阳路 12 号',
    18,
    'private',
    { toddler: 15, 'older-toddler': 40 },
  ),
  n(
    'hongqiao-gongban',
    '虹桥镇公办托育园',
    'Hongqiao Public Nursery',
    'hongqiao',
    '虹桥镇南大街 120 号',
    19,
    'public',
    { infant: 10, toddler: 45, 'older-toddler': 60 },
  ),
  n(
    'hongqiao-puhui',
    '虹桥镇普惠托育中心',
    'Hongqiao Inclusive Childcare Centre',
    'hongqiao',
    '虹桥镇幸福东路 35 号',
    20,
    'inclusive',
    { toddler: 30, 'older-toddler': 40 },
  ),
  n('danxi-tuoyudian', '淡溪镇托育点', 'Danxi Nursery', 'danxi', '淡溪镇淡溪村文化中心', 21, 'inclusive', {
    toddler: 15,
    'older-toddler': 20,
  }),
  n(
    'qingjiang-tuoyudian',
    '清江镇托育点',
    'Qingjiang Nursery',
    'qingjiang',
    '清江镇清北路 9 号',
    22,
    'inclusive',
    { toddler: 15, 'older-toddler': 20 },
  ),
  n('furong-tuoyudian', '芙蓉镇托育点', 'Furong Nursery', 'furong', '芙蓉镇芙蓉路 28 号', 23, 'inclusive', {
    toddler: 15,
    'older-toddler': 20,
  }),
  n(
    'dajing-puhui',
    '大荆镇普惠托育中心',
    'Dajing Inclusive Childcare Centre',
    'dajing',
    '大荆镇镇安路 45 号',
    24,
    'inclusive',
    { infant: 10, toddler: 30, 'older-toddler': 40 },
  ),
  n('yandang-tuoyu', '雁荡镇托育园', 'Yandang Nursery', 'yandang', '雁荡镇响岭头村 3 号', 25, 'inclusive', {
    toddler: 15,
    'older-toddler': 20,
  }),
  n(
    'nantang-tuoyudian',
    '南塘镇托育点',
    'Nantang Nursery',
    'nantang',
    '南塘镇南塘大道 101 号',
    26,
    'inclusive',
    { toddler: 15, 'older-toddler': 20 },
  ),
  n('puqi-tuoyudian', '蒲岐镇托育点', 'Puqi Nursery', 'puqi', '蒲岐镇城西路 8 号', 27, 'inclusive', {
    toddler: 15,
    'older-toddler': 20,
  }),
  n('panshi-tuoyudian', '磐石镇托育点', 'Panshi Nursery', 'panshi', '磐石镇磐石大道 56 号', 28, 'inclusive', {
    toddler: 15,
    'older-toddler': 20,
  }),
];

/** The share of a class's licensed places offered in one intake term (the rest are continuing children). */
export const SEED_INTAKE_SHARE = 0.4;
/** Round-mode intakes close registration this many days before the term starts. */
export const SEED_ROUND_DEADLINE_DAYS = 45;
