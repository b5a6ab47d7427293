/**
 * The transit corridors goods travel under customs seal, from a border gate to an inland clearance
 * depot: the road's waypoints (real places, approximate WGS 84 positions in integer microdegrees, road
 * distance from the previous waypoint), the deadline customs sets for the trip, where drivers rest on
 * the long ones, and the provinces the hauliers' trucks are registered in (plate prefixes).
 */
import type { Id } from "../domain/index.js";

export interface Waypoint {
  place: string;
  /** Microdegrees. */
  latitude: bigint;
  longitude: bigint;
  /** Road kilometres from the previous waypoint (0 for the first). */
  km: number;
}

export interface Corridor {
  id: Id;
  name: string;
  gate: Id;
  /** The inland depot (a WAREHOUSE facility) the corridor ends at. */
  destination: Id;
  /** How long customs allows for the trip, from the sealing. */
  deadlineHours: bigint;
  /** From the gate to the destination. */
  waypoints: readonly Waypoint[];
  /** The waypoint at a rest area where drivers stop on the way, on a corridor long enough for one. */
  restAt: number | null;
  /** Licence plate prefixes (province codes) of the trucks that run it. */
  plates: readonly string[];
}

const at = (place: string, latitude: number, longitude: number, km: number): Waypoint => ({
  place,
  latitude: BigInt(Math.round(latitude * 1e6)),
  longitude: BigInt(Math.round(longitude * 1e6)),
  km,
});

/** QL1A and the Bắc Giang – Lạng Sơn expressway, from the Hữu Nghị gate down to Bắc Ninh. */
const QL1A_NORTH = [
  at("Cửa khẩu Hữu Nghị", 21.9669, 106.7033, 0),
  at("Đồng Đăng", 21.944, 106.695, 4),
  at("TP Lạng Sơn", 21.8537, 106.7615, 14),
  at("Chi Lăng", 21.665, 106.612, 30),
  at("Hữu Lũng", 21.506, 106.344, 35),
  at("Trạm dừng nghỉ Bắc Giang", 21.3405, 106.2305, 24),
  at("TP Bắc Giang", 21.2731, 106.1946, 10),
  at("TP Bắc Ninh", 21.1861, 106.0763, 25),
];

/** From the Cát Lái terminal out by Vành đai 2 to the Hanoi Highway at Thủ Đức. */
const CAT_LAI_OUT = [at("Cảng Cát Lái", 10.759, 106.789, 0), at("Nút giao Cát Lái (Vành đai 2)", 10.779, 106.776, 3), at("Ngã tư Thủ Đức", 10.849, 106.774, 9)];

export const CORRIDORS: readonly Corridor[] = [
  {
    id: "HUUNGHI-GIALAM",
    name: "Hữu Nghị – QL1A – ICD Gia Lâm (Hà Nội)",
    gate: "VNHNG-HUUNGHI",
    destination: "VNHAN-ICD-GIALAM",
    deadlineHours: 36n,
    waypoints: [...QL1A_NORTH, at("Cầu Đuống", 21.0905, 105.9125, 20), at("ICD Gia Lâm", 21.062, 105.894, 5)],
    restAt: 5,
    plates: ["12C", "12H", "29C", "29H"],
  },
  {
    id: "HUUNGHI-TIENSON",
    name: "Hữu Nghị – QL1A – ICD Tiên Sơn (Bắc Ninh)",
    gate: "VNHNG-HUUNGHI",
    destination: "VNBNI-ICD-TIENSON",
    deadlineHours: 36n,
    waypoints: [...QL1A_NORTH, at("ICD Tiên Sơn", 21.119, 105.977, 14)],
    restAt: 5,
    plates: ["12C", "99C", "99H"],
  },
  {
    id: "CATLAI-SONGTHAN",
    name: "Cát Lái – Xa lộ Hà Nội – ICD Sóng Thần (Bình Dương)",
    gate: "VNSGN-CATLAI",
    destination: "VNBDU-ICD-SONGTHAN",
    deadlineHours: 24n,
    waypoints: [...CAT_LAI_OUT, at("Ngã ba Trạm 2, Dĩ An", 10.893, 106.77, 6), at("ICD Sóng Thần", 10.905, 106.745, 4)],
    restAt: null,
    plates: ["51C", "51D", "61C"],
  },
  {
    id: "CATLAI-LONGBINH",
    name: "Cát Lái – Xa lộ Hà Nội – Tân Cảng Long Bình (Đồng Nai)",
    gate: "VNSGN-CATLAI",
    destination: "VNDNA-ICD-LONGBINH",
    deadlineHours: 24n,
    waypoints: [...CAT_LAI_OUT, at("Suối Tiên", 10.87, 106.803, 5), at("Cầu Đồng Nai", 10.903, 106.837, 6), at("Tân Cảng Long Bình", 10.913, 106.883, 7)],
    restAt: null,
    plates: ["51C", "60C", "60H"],
  },
];

export function corridor(id: Id): Corridor {
  const found = CORRIDORS.find((candidate) => candidate.id === id);
  if (found === undefined) throw new RangeError(`no transit corridor ${id}`);
  return found;
}
