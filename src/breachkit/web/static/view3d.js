// The 3-D risk view: the station and vehicle mesh, faces coloured by log10 expected failures
// per m² (grey: not evaluated, they only cast shadows), the camera framed on the case's vehicle,
// arrows for the ram direction and shower radiants, hover for a face's region, shield, N and share.
import * as THREE from "three";
import { OrbitControls } from "three/addons/controls/OrbitControls.js";

function viridis(t) {
  // five-stop approximation of matplotlib's viridis, t in [0, 1]
  const stops = [[0.267, 0.005, 0.329], [0.229, 0.322, 0.546], [0.128, 0.567, 0.551],
                 [0.369, 0.789, 0.383], [0.993, 0.906, 0.144]];
  const x = Math.min(Math.max(t, 0), 1) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2), f = x - i;
  return stops[i].map((a, k) => a + f * (stops[i + 1][k] - a));
}

function colourRange(values) {
  const logs = values.filter((v) => v !== null && v > 0).map((v) => Math.log10(v));
  if (!logs.length) return [0, 1];
  logs.sort((a, b) => a - b);
  const lo = logs[Math.floor(0.02 * (logs.length - 1))], hi = logs[logs.length - 1];
  return [lo, Math.max(hi, lo + 1e-6)];
}

function buildMesh(scene) {
  const nf = scene.faces.length / 3;
  const pos = new Float32Array(nf * 9), col = new Float32Array(nf * 9);
  const [lo, hi] = colourRange(scene.failures_per_m2);
  for (let f = 0; f < nf; f++) {
    const v = scene.failures_per_m2[f];
    const c = v === null ? [0.55, 0.57, 0.6] : v > 0 ? viridis((Math.log10(v) - lo) / (hi - lo)) : [0.18, 0.0, 0.25];
    for (let k = 0; k < 3; k++) {
      const vi = scene.faces[3 * f + k];
      for (let a = 0; a < 3; a++) {
        pos[9 * f + 3 * k + a] = scene.vertices[3 * vi + a];
        col[9 * f + 3 * k + a] = c[a];
      }
    }
  }
  const geom = new THREE.BufferGeometry();
  geom.setAttribute("position", new THREE.BufferAttribute(pos, 3));
  geom.setAttribute("color", new THREE.BufferAttribute(col, 3));
  geom.computeVertexNormals();
  const mat = new THREE.MeshLambertMaterial({ vertexColors: true, side: THREE.DoubleSide });
  return { mesh: new THREE.Mesh(geom, mat), range: [lo, hi] };
}

export function showScene(container, scene, onHover) {
  container.innerHTML = "";
  const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
  renderer.setPixelRatio(window.devicePixelRatio || 1);
  renderer.setSize(container.clientWidth, container.clientHeight);
  container.appendChild(renderer.domElement);
  const world = new THREE.Scene();
  world.background = new THREE.Color(0x10161c);
  world.add(new THREE.AmbientLight(0xffffff, 0.55));
  const sun = new THREE.DirectionalLight(0xffffff, 0.9);
  sun.position.set(1, -1, -2);
  world.add(sun);
  const { mesh, range } = buildMesh(scene);
  world.add(mesh);
  const c = new THREE.Vector3(...scene.target.centre), r = scene.target.radius;
  for (const a of scene.arrows) {
    const dir = new THREE.Vector3(...a.direction).normalize();
    const colour = a.kind === "ram" ? 0xffffff : a.above_limb ? 0xff9f1c : 0x8899aa;
    const origin = c.clone().add(dir.clone().multiplyScalar(3.2 * r));
    world.add(new THREE.ArrowHelper(dir.clone().negate(), origin, 1.8 * r, colour, 0.35 * r, 0.2 * r));
  }
  const camera = new THREE.PerspectiveCamera(40, container.clientWidth / container.clientHeight, r / 50, r * 2000);
  camera.up.set(0, 0, -1); // LVLH-like: zenith (−z) up
  camera.position.copy(c.clone().add(new THREE.Vector3(-2.5 * r, -3.5 * r, -2.0 * r)));
  const controls = new OrbitControls(camera, renderer.domElement);
  controls.target.copy(c);
  controls.update();
  const ray = new THREE.Raycaster(), mouse = new THREE.Vector2();
  renderer.domElement.addEventListener("pointermove", (ev) => {
    const box = renderer.domElement.getBoundingClientRect();
    mouse.set(((ev.clientX - box.left) / box.width) * 2 - 1, -((ev.clientY - box.top) / box.height) * 2 + 1);
    ray.setFromCamera(mouse, camera);
    const hit = ray.intersectObject(mesh)[0];
    if (!hit) { onHover(null); return; }
    const f = hit.faceIndex, region = scene.regions[scene.region[f]];
    const n = scene.failures[f];
    onHover({ face: f, region, shield: scene.shields[region] || "none (shadows only)", n,
              perM2: scene.failures_per_m2[f],
              share: n === null || !scene.total_failures ? null : n / scene.total_failures });
  });
  function frame() { controls.update(); renderer.render(world, camera); requestAnimationFrame(frame); }
  frame();
  return { renderer, range };
}
